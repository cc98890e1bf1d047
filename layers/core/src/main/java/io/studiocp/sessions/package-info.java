/**
 * Studio sessions for users (seed 001's {@code sm_studio}): a presigned URL to open Studio (creating
 * a space on the way), the caller's apps with what they cost so far and tearing them down, and the
 * caller's spaces. The use cases speak to SageMaker through one port, {@link StudioSessions}; its
 * adapter is in {@code sessions/aws}.
 */
package io.studiocp.sessions;

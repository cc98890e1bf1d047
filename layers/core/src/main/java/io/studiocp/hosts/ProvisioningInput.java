package io.studiocp.hosts;

import io.studiocp.studio.StudioUser;

/**
 * The input of a provisioning execution. It is built only from the request, never from the clock,
 * so that a retried request produces the same input and Step Functions treats it as the same
 * execution.
 */
public record ProvisioningInput(HostId hostId, StudioUser owner, HostRequest request) {}

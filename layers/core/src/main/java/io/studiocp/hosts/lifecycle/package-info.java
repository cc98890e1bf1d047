/**
 * A host's life after its first launch: stop, start (the StartHost workflow's steps, with the same
 * readiness contract as a launch) and extend, each owner-scoped and within the policy's bounds.
 */
package io.studiocp.hosts.lifecycle;

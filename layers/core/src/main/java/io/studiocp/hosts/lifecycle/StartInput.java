package io.studiocp.hosts.lifecycle;

/** What a StartHost execution starts with: the host, its instance, and who asked. */
public record StartInput(String hostId, String instanceId, String requestedBy) {}

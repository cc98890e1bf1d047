package io.studiocp.hosts.provisioning;

/** What a host sends with SendTaskSuccess once dockerd answers over TLS. */
public record ReadyReport(String hostId, String instanceId, String privateDnsName, Integer dockerPort) {}

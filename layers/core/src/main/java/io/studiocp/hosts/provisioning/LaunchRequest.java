package io.studiocp.hosts.provisioning;

/** What the Launch step receives: the plan and the token the host reports back with. */
public record LaunchRequest(LaunchPlan plan, String taskToken) {}

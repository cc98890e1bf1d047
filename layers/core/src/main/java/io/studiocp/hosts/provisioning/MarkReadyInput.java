package io.studiocp.hosts.provisioning;

/** What MarkReady receives: the plan, with the host's report under {@code ready}. */
public record MarkReadyInput(LaunchPlan plan, ReadyReport ready) {}

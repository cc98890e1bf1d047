package io.studiocp.hosts.provisioning;

import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostRequest;
import io.studiocp.studio.StudioUser;

/** What Prepare receives: the execution input plus the execution's ARN and start time. */
public record PrepareInput(HostId hostId, StudioUser owner, HostRequest request, String executionArn,
    String startedAt) {}

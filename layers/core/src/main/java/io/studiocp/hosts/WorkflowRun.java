package io.studiocp.hosts;

import java.time.Instant;

/** A provisioning execution as Step Functions reports it. */
public record WorkflowRun(HostId hostId, Status status, ProvisioningInput input, String error,
    String cause, Instant startedAt, Instant stoppedAt) {

  public enum Status { RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED }
}

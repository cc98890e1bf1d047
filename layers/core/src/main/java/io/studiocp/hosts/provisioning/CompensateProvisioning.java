package io.studiocp.hosts.provisioning;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostInstance;
import java.util.List;

/**
 * The workflow's Compensate step: every path that fails ends here. Records why on the instance
 * and terminates it, so that no instance is left behind; returns the code and reason the
 * execution fails with.
 */
public final class CompensateProvisioning {

  private final HostFleet fleet;

  public CompensateProvisioning(HostFleet fleet) {
    this.fleet = fleet;
  }

  public FailureReason compensate(CompensateInput input) {
    FailureReason reason = FailureReason.of(input.error(), input.certDirectory());
    List<HostInstance> instances = fleet.instancesOf(input.hostId());
    fleet.fail(instances, reason.cause());
    instances.stream().filter(i -> "terminated".equals(i.ec2State()))
        .forEach(gone -> fleet.recordFailure(gone, reason.cause()));
    return reason;
  }
}

package io.studiocp.hosts.provisioning;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostInstance;
import java.time.Clock;

/**
 * The workflow's MarkReady step: checks that the report comes from the host's live instance and
 * records it as ready, at the address EC2 gives that instance ({@link ReadyAddress}): nothing in
 * the report decides where a user's Docker context points.
 */
public final class MarkHostReady {

  /** The ready host, as the execution's output. */
  public record ReadyHost(String hostId, String instanceId, String dockerEndpoint, String certDirectory) {}

  private final HostFleet fleet;
  private final Clock clock;

  public MarkHostReady(HostFleet fleet, Clock clock) {
    this.fleet = fleet;
    this.clock = clock;
  }

  public ReadyHost markReady(MarkReadyInput input) {
    LaunchPlan plan = input.plan();
    ReadyReport ready = input.ready();
    if (ready == null || !plan.hostId().value().equals(ready.hostId())) {
      throw new ProvisioningException("the ready report names host " + (ready == null ? null : ready.hostId())
          + ", not " + plan.hostId());
    }
    HostInstance instance = fleet.liveInstancesOf(plan.hostId()).stream()
        .findFirst()
        .orElseThrow(() -> new ProvisioningException("the instance of " + plan.hostId()
            + " is gone; it stopped or was terminated before it became ready"));
    String address = ReadyAddress.of(instance, ready, plan.dockerPort());
    fleet.markReady(instance, address, plan.dockerPort(), clock.instant());
    return new ReadyHost(plan.hostId().value(), instance.instanceId(),
        "tcp://" + address + ":" + plan.dockerPort(), plan.certDirectory());
  }
}

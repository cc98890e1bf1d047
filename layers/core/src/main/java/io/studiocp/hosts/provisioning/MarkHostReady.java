package io.studiocp.hosts.provisioning;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostInstance;
import java.time.Clock;

/**
 * The workflow's MarkReady step: checks that the report comes from the host's live instance and
 * records it as ready, with the address its certificate was issued for.
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
    if (ready == null || ready.instanceId() == null || ready.privateDnsName() == null) {
      throw new ProvisioningException("the host's ready report lacks instanceId or privateDnsName");
    }
    if (!plan.hostId().value().equals(ready.hostId())) {
      throw new ProvisioningException("the ready report names host " + ready.hostId()
          + ", not " + plan.hostId());
    }
    HostInstance instance = fleet.liveInstancesOf(plan.hostId()).stream()
        .findFirst()
        .orElseThrow(() -> new ProvisioningException("the instance of " + plan.hostId()
            + " is gone; it stopped or was terminated before it became ready"));
    if (!instance.instanceId().equals(ready.instanceId())) {
      throw new ProvisioningException("the ready report came from " + ready.instanceId()
          + ", but the host's instance is " + instance.instanceId());
    }
    int port = ready.dockerPort() == null ? plan.dockerPort() : ready.dockerPort();
    fleet.markReady(instance, ready.privateDnsName(), port, clock.instant());
    return new ReadyHost(plan.hostId().value(), instance.instanceId(),
        "tcp://" + ready.privateDnsName() + ":" + port, plan.certDirectory());
  }
}

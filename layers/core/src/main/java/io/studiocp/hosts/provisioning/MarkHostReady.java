package io.studiocp.hosts.provisioning;

import io.studiocp.hosts.HostCommands;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostState;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.Hosts;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The workflow's MarkReady step: checks that the report comes from the host's live instance and
 * records it as ready, with the address its certificate was issued for.
 */
public final class MarkHostReady {

  /** The ready host, as the execution's output. */
  public record ReadyHost(String hostId, String instanceId, String dockerEndpoint, String certDirectory) {}

  private final Hosts hosts;
  private final HostCommands commands;
  private final Clock clock;

  public MarkHostReady(Hosts hosts, HostCommands commands, Clock clock) {
    this.hosts = hosts;
    this.commands = commands;
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
    HostInstance instance = hosts.instancesOf(plan.hostId()).stream()
        .filter(i -> !i.isGone())
        .findFirst()
        .orElseThrow(() -> new ProvisioningException("the instance of " + plan.hostId()
            + " is gone; it stopped or was terminated before it became ready"));
    if (!instance.instanceId().equals(ready.instanceId())) {
      throw new ProvisioningException("the ready report came from " + ready.instanceId()
          + ", but the host's instance is " + instance.instanceId());
    }
    commands.tag(List.of(instance.instanceId()), Map.of(
        HostTags.STATE, HostState.READY.name(),
        HostTags.DOCKER_HOST, HostTags.fit(ready.privateDnsName()),
        HostTags.READY_AT, clock.instant().toString()));
    int port = ready.dockerPort() == null ? plan.dockerPort() : ready.dockerPort();
    return new ReadyHost(plan.hostId().value(), instance.instanceId(),
        "tcp://" + ready.privateDnsName() + ":" + port, plan.certDirectory());
  }
}

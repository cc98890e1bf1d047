package io.studiocp.hosts.lifecycle;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostState;
import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.hosts.provisioning.CompensateInput.CaughtError;
import io.studiocp.hosts.provisioning.ProvisioningException;
import io.studiocp.hosts.provisioning.ReadyAddress;
import io.studiocp.hosts.provisioning.ReadyReport;
import io.studiocp.platform.TransientAwsException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The StartHost workflow's steps. Begin puts the execution's task token in the host's boot script
 * and starts the instance; the host re-runs its bootstrap (same certificates, same volume and
 * image cache) and calls back when dockerd answers over TLS. Finish records it READY at the
 * address its certificate names. Abandon stops a host whose start failed, with the reason, so it
 * never shows READY without having answered.
 */
public final class StartSteps {

  public record BeginInput(String hostId, String instanceId, String taskToken) {}

  public record FinishInput(String hostId, String instanceId, ReadyReport ready) {}

  public record AbandonInput(String hostId, String instanceId, CaughtError error) {}

  /** The step's result: the host and where it is now (Abandon's names the failure for the Fail state). */
  public record Outcome(String hostId, String instanceId, String state, String error, String cause) {}

  private final HostFleet fleet;
  private final Clock clock;

  public StartSteps(HostFleet fleet, Clock clock) {
    this.fleet = fleet;
    this.clock = clock;
  }

  public Outcome begin(BeginInput input) {
    HostInstance instance = instanceOf(input.hostId(), input.instanceId());
    switch (instance.ec2State()) {
      case "stopped" -> {
        if (instance.tagState() != HostState.STARTING) {
          throw new ProvisioningException("host " + input.hostId() + " is " + instance.tagState()
              + ", not starting: a start goes through POST /hosts/{hostId}/start");
        }
        fleet.start(instance, script -> BootstrapUserData.withTaskToken(script, input.taskToken()));
      }
      case "pending", "running" -> {
        if (instance.tagState() != HostState.STARTING) {
          throw new ProvisioningException("host " + input.hostId() + " runs already and is "
              + instance.tagState() + ", not starting");
        }
        // A retried Begin: the first attempt started it.
      }
      case "stopping" -> throw new TransientAwsException("instance " + input.instanceId() + " is still stopping", null);
      default -> throw new ProvisioningException("instance " + input.instanceId() + " of " + input.hostId()
          + " is " + instance.ec2State() + " and cannot be started");
    }
    return new Outcome(input.hostId(), input.instanceId(), HostState.STARTING.name(), null, null);
  }

  public Outcome finish(FinishInput input) {
    ReadyReport ready = input.ready();
    if (ready == null || !input.hostId().equals(ready.hostId()) || !input.instanceId().equals(ready.instanceId())) {
      throw new ProvisioningException("the ready report does not come from instance " + input.instanceId()
          + " of " + input.hostId());
    }
    HostInstance instance = instanceOf(input.hostId(), input.instanceId());
    if (!"running".equals(instance.ec2State())) {
      throw new ProvisioningException("instance " + input.instanceId() + " is " + instance.ec2State()
          + ", not running, after it reported ready");
    }
    // The port is the one the host was launched with; the address is EC2's (a private IP stays
    // the instance's across stop and start, and the certificate names it).
    int port = instance.dockerPort().orElseThrow(() ->
        new ProvisioningException("host " + input.hostId() + " has no Docker port tag"));
    fleet.markReady(instance, ReadyAddress.of(instance, ready, port), port, clock.instant());
    return new Outcome(input.hostId(), input.instanceId(), HostState.READY.name(), null, null);
  }

  public Outcome abandon(AbandonInput input) {
    String cause = Optional.ofNullable(input.error()).map(e -> Optional.ofNullable(e.cause()).orElse(e.error()))
        .orElse("unknown");
    String reason = "the start failed, so the host was stopped again: " + cause;
    Instant now = clock.instant();
    fleet.instance(input.instanceId())
        .filter(i -> i.hostId().map(id -> id.value().equals(input.hostId())).orElse(false))
        .filter(i -> !i.isGone())
        .ifPresent(i -> fleet.stop(List.of(i), reason, now));
    return new Outcome(input.hostId(), input.instanceId(), HostState.STOPPED.name(), "StartFailed", reason);
  }

  private HostInstance instanceOf(String hostId, String instanceId) {
    return fleet.instance(instanceId)
        .filter(i -> i.hostId().map(id -> id.value().equals(hostId)).orElse(false))
        .orElseThrow(() -> new ProvisioningException("instance " + instanceId + " is not a host of " + hostId));
  }
}

package io.studiocp.hosts.provisioning;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostInstance;
import io.studiocp.platform.Concurrently;
import io.studiocp.platform.Digests;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The workflow's MarkReady step: checks that the report comes from the host's live instance and
 * records it as ready, at the address EC2 gives that instance ({@link ReadyAddress}): nothing in
 * the report decides where a user's Docker context points.
 *
 * <p>After a claim, the report comes from a warm pool host. It is accepted only from an instance
 * that still waits in the pool of the plan's domain, is of the plan's type, and whose EC2 address
 * and port are the report's; the host is then made the user's ({@link HostFleet#adopt}: the plan's
 * security groups and exactly a launched host's tags) before it is marked ready.
 */
public final class MarkHostReady {

  /**
   * The ready host, as the execution's output.
   *
   * @param claimed it was a pool host (the workflow then refills the pool of {@code domainId} and {@code instanceType})
   */
  public record ReadyHost(String hostId, String instanceId, String dockerEndpoint, String certDirectory,
      boolean claimed, String domainId, String instanceType) {

    public ReadyHost(String hostId, String instanceId, String dockerEndpoint, String certDirectory) {
      this(hostId, instanceId, dockerEndpoint, certDirectory, false, null, null);
    }
  }

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
    // After a claim, the reporting pool host is read alongside the host's own instances (the claim's
    // user waits for MarkReady); that reading counts only when the report is not from the host's own
    // instance, exactly as when it was read after them (a read nobody uses changes nothing).
    var poolLookup = plan.pool() && ready.instanceId() != null
        ? Concurrently.start(() -> fleet.pooledInstance(ready.instanceId())) : null;
    List<HostInstance> live = fleet.liveInstancesOf(plan.hostId());
    boolean fromOwnInstance = ready.instanceId() != null
        && live.stream().anyMatch(i -> i.instanceId().equals(ready.instanceId()));
    if (poolLookup != null && !fromOwnInstance) {
      Optional<HostInstance> pooled = Concurrently.join(poolLookup);
      if (pooled.isPresent() || live.isEmpty()) {
        return adopt(plan, ready, pooled.orElseThrow(() -> new ProvisioningException("the ready report came from "
            + ready.instanceId() + ", which is no pool host waiting for a claim, and " + plan.hostId()
            + " has no instance of its own: the report is not trusted")));
      }
    }
    HostInstance instance = live.stream()
        .findFirst()
        .orElseThrow(() -> new ProvisioningException("the instance of " + plan.hostId()
            + " is gone; it stopped or was terminated before it became ready"));
    String address = ReadyAddress.of(instance, ready, plan.dockerPort());
    fleet.markReady(instance, address, plan.dockerPort(), clock.instant());
    return new ReadyHost(plan.hostId().value(), instance.instanceId(),
        "tcp://" + address + ":" + plan.dockerPort(), plan.certDirectory());
  }

  private ReadyHost adopt(LaunchPlan plan, ReadyReport ready, HostInstance pooled) {
    String domainId = plan.owner().domainId();
    if (!pooled.poolDomain().filter(domainId::equals).isPresent()) {
      throw new ProvisioningException("the ready report came from pool host " + pooled.instanceId() + " of domain "
          + pooled.poolDomain().orElse("?") + ", not of " + domainId + ": the report is not trusted");
    }
    if (!plan.instanceType().equals(pooled.instanceType())) {
      throw new ProvisioningException("the ready report came from pool host " + pooled.instanceId() + ", a "
          + pooled.instanceType() + ", but " + plan.instanceType() + " was asked for: the report is not trusted");
    }
    String address = ReadyAddress.of(pooled, ready, plan.dockerPort());
    String attempt = "claim-" + Digests.sha256Hex(pooled.instanceId()).substring(0, 10);
    fleet.adoptReady(pooled, new HostFleet.NewHost(plan.hostId(), plan.owner(), plan.expiresAt(),
        plan.executionArn(), plan.dockerPort(), plan.certDirectory(), plan.extraPorts(), attempt, plan.createdAt(),
        plan.volumeGiB()), plan.securityGroupIds(), address, clock.instant());
    return new ReadyHost(plan.hostId().value(), pooled.instanceId(), "tcp://" + address + ":" + plan.dockerPort(),
        plan.certDirectory(), true, domainId, plan.instanceType());
  }
}

package io.studiocp.hosts.pool;

import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.hosts.provisioning.LaunchPlan;
import io.studiocp.hosts.provisioning.LaunchRequest;
import io.studiocp.hosts.provisioning.ProvisioningException;
import java.util.Optional;

/**
 * The workflow's Claim step: reserves one of the pool hosts of the plan's domain and type (takes
 * one of the pool's tickets: exactly one claim gets each) and hands the user's identity to the
 * pool's hosts, as one message on their queue (the values block a fresh host's script carries, with
 * the task token the workflow waits on). A waiting pool host takes it, sets itself up for the user
 * and reports back like a fresh host. When no ticket is left (another claim took the last free
 * host) it fails at once, and the workflow launches a fresh host instead of waiting.
 */
public final class ClaimPoolHost {

  /** What Claim returns; the workflow then waits for the claimed host's callback. */
  public record Claimed(String hostId, String queue) {}

  private final PoolQueues queues;
  private final String region;
  private final Optional<String> sfnEndpoint;

  public ClaimPoolHost(PoolQueues queues, String region, Optional<String> sfnEndpoint) {
    this.queues = queues;
    this.region = region;
    this.sfnEndpoint = sfnEndpoint;
  }

  public Claimed claim(LaunchRequest request) {
    LaunchPlan plan = request.plan();
    if (!plan.pool()) {
      throw new ProvisioningException("the plan has no pool host to claim");
    }
    String domainId = plan.owner().domainId();
    PoolQueues.Ticket ticket = queues.takeTicket(PoolQueues.ticketsName(domainId, plan.instanceType()))
        .orElseThrow(() -> new ProvisioningException("no free pool host of " + plan.instanceType() + " in "
            + domainId + " (another request claimed the last one): a fresh host is launched"));
    String queue = PoolQueues.name(domainId, plan.instanceType());
    try {
      queues.send(queue, BootstrapUserData.claimBody(plan, request.taskToken(), region, sfnEndpoint));
    } catch (RuntimeException e) {
      queues.release(ticket);
      throw e;
    }
    try {
      queues.spend(ticket);
    } catch (RuntimeException e) {
      // The claim is on its way; a ticket not deleted comes back after its visibility timeout, and
      // the one claim that takes it then falls back to a launch after the claim's timeout.
    }
    return new Claimed(plan.hostId().value(), queue);
  }
}

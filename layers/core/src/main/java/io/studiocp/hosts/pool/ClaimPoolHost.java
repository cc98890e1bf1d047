package io.studiocp.hosts.pool;

import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.hosts.provisioning.LaunchPlan;
import io.studiocp.hosts.provisioning.LaunchRequest;
import io.studiocp.hosts.provisioning.ProvisioningException;
import io.studiocp.platform.Concurrently;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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

  /**
   * The calls, as few one after another as the reservation allows: whether the claim queue exists is
   * read while the ticket is taken; the claim is sent and the ticket spent side by side. A queue that
   * does not exist gives the ticket back untouched, as before. A claim that SQS refuses to send
   * after its ticket was spent leaves that pool host waiting without a ticket: no claim counts on
   * it until the cleanup's keeper gives it one again ({@link PoolLaunch#mendTickets}, "it waited
   * without a ticket"); the claim fails as before (retried when SQS was busy, when the retry finds
   * no other free pool host the user's host is launched fresh). A ticket is never given to two
   * claims either way; the claim's user no longer waits for the spending.
   */
  public Claimed claim(LaunchRequest request) {
    LaunchPlan plan = request.plan();
    if (!plan.pool()) {
      throw new ProvisioningException("the plan has no pool host to claim");
    }
    String domainId = plan.owner().domainId();
    String queue = PoolQueues.name(domainId, plan.instanceType());
    var queueLookup = Concurrently.start(() -> queues.exists(queue));
    PoolQueues.Ticket ticket = queues.takeTicket(PoolQueues.ticketsName(domainId, plan.instanceType()))
        .orElseThrow(() -> new ProvisioningException("no free pool host of " + plan.instanceType() + " in "
            + domainId + " (another request claimed the last one): a fresh host is launched"));
    String body = BootstrapUserData.claimBody(plan, request.taskToken(), region, sfnEndpoint);
    boolean queueExists;
    try {
      queueExists = Concurrently.join(queueLookup);
    } catch (RuntimeException e) {
      queues.release(ticket);
      throw e;
    }
    if (!queueExists) {
      queues.release(ticket);
      throw new ProvisioningException("the pool's queue " + queue + " does not exist");
    }
    CompletableFuture<Void> spending = Concurrently.start(() -> {
      queues.spend(ticket);
      return null;
    });
    try {
      queues.send(queue, body);
    } catch (RuntimeException e) {
      if (!spent(spending)) {
        queues.release(ticket);
      }
      throw e;
    }
    // A ticket not deleted comes back after its visibility timeout, and the one claim that takes it
    // then falls back to a launch after the claim's timeout.
    spent(spending);
    return new Claimed(plan.hostId().value(), queue);
  }

  private static boolean spent(CompletableFuture<Void> spending) {
    try {
      Concurrently.join(spending);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}

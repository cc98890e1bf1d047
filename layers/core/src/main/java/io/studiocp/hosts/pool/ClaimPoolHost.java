package io.studiocp.hosts.pool;

import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.hosts.provisioning.LaunchPlan;
import io.studiocp.hosts.provisioning.LaunchRequest;
import io.studiocp.hosts.provisioning.ProvisioningException;
import java.util.Optional;

/**
 * The workflow's Claim step: hands the user's identity to one of the pool hosts of the plan's
 * domain and type, as one message on their queue (the values block a fresh host's script carries,
 * with the task token the workflow waits on). Whichever pool host takes it sets itself up for the
 * user and reports back like a fresh host; if none does in time, the workflow launches one.
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
    String queue = PoolQueues.name(plan.owner().domainId(), plan.instanceType());
    queues.send(queue, BootstrapUserData.claimBody(plan, request.taskToken(), region, sfnEndpoint));
    return new Claimed(plan.hostId().value(), queue);
  }
}

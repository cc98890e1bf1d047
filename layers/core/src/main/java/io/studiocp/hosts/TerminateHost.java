package io.studiocp.hosts;

import io.studiocp.identity.Actor;
import java.util.List;

/** {@code DELETE /hosts/{hostId}}: ends a host in whatever state it is, idempotently. */
public final class TerminateHost {

  private final HostQueries queries;
  private final HostFleet fleet;
  private final ProvisioningWorkflow workflow;

  public TerminateHost(HostQueries queries, HostFleet fleet, ProvisioningWorkflow workflow) {
    this.queries = queries;
    this.fleet = fleet;
    this.workflow = workflow;
  }

  public Host terminate(Actor actor, String hostId) {
    Host host = queries.visible(actor, hostId);
    if (host.state() == HostState.TERMINATED || host.state() == HostState.TERMINATING) {
      return host;
    }
    if (host.state() == HostState.PROVISIONING) {
      workflow.cancel(host.id(), "terminated by " + actor.principal().arn() + " while provisioning");
    }
    // Read afresh: a launch may have finished between the lookup and the cancel.
    List<HostInstance> live = fleet.liveInstancesOf(host.id());
    if (live.isEmpty()) {
      return host.state() == HostState.FAILED ? host : host.withState(HostState.TERMINATED);
    }
    fleet.terminate(live);
    return host.state() == HostState.FAILED ? host : host.withState(HostState.TERMINATING);
  }
}

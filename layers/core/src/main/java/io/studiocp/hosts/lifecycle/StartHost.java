package io.studiocp.hosts.lifecycle;

import io.studiocp.hosts.Host;
import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostQueries;
import io.studiocp.hosts.HostState;
import io.studiocp.identity.Actor;
import io.studiocp.platform.Rejection;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code POST /hosts/{hostId}/start}: starts a stopped host through the StartHost workflow, which
 * has it report ready again (a new task token) before it is READY. A host that is starting or
 * ready already is answered as it is.
 */
public final class StartHost {

  private final HostQueries queries;
  private final HostFleet fleet;
  private final StartWorkflow workflow;
  private final Clock clock;

  public StartHost(HostQueries queries, HostFleet fleet, StartWorkflow workflow, Clock clock) {
    this.queries = queries;
    this.fleet = fleet;
    this.workflow = workflow;
    this.clock = clock;
  }

  public Host start(Actor actor, String hostId, String requestKey) {
    Host host = queries.visible(actor, hostId);
    if (host.state() == HostState.STARTING || host.state() == HostState.READY) {
      return host;
    }
    LifecycleRules.requireState(host, "started", HostState.STOPPED);
    HostInstance instance = LifecycleRules.liveInstance(fleet, host, "started");
    if (!"stopped".equals(instance.ec2State())) {
      throw Rejection.conflict("WrongState", "host " + host.id() + " is still stopping (EC2 says "
          + instance.ec2State() + "); start it again in a minute");
    }
    Instant now = clock.instant();
    if (host.expiresAt() != null && !host.expiresAt().isAfter(now)) {
      throw Rejection.conflict("Expired", "host " + host.id() + " expired at " + host.expiresAt()
          + "; extend it first: sdocker extend-host " + host.id() + " --ttl-hours N");
    }
    fleet.markStarting(instance, now);
    workflow.start(new StartInput(host.id().value(), instance.instanceId(), actor.principal().arn()), requestKey);
    return host.withState(HostState.STARTING);
  }
}

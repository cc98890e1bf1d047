package io.studiocp.hosts.lifecycle;

import io.studiocp.hosts.Host;
import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostQueries;
import io.studiocp.hosts.HostState;
import io.studiocp.identity.Actor;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** {@code POST /hosts/{hostId}/stop}: stops a ready host; its volume, certificates and images stay. */
public final class StopHost {

  private final HostQueries queries;
  private final HostFleet fleet;
  private final Clock clock;

  public StopHost(HostQueries queries, HostFleet fleet, Clock clock) {
    this.queries = queries;
    this.fleet = fleet;
    this.clock = clock;
  }

  public Host stop(Actor actor, String hostId) {
    Host host = queries.visible(actor, hostId);
    if (host.state() == HostState.STOPPED) {
      return host;
    }
    LifecycleRules.requireState(host, "stopped", HostState.READY);
    Instant now = clock.instant();
    String reason = "stopped by " + actor.principal().arn() + " at " + now;
    fleet.stop(List.of(LifecycleRules.liveInstance(fleet, host, "stopped")), reason, now);
    return host.stopped(reason);
  }
}

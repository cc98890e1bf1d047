package io.studiocp.hosts.lifecycle;

import io.studiocp.hosts.Host;
import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.HostQueries;
import io.studiocp.hosts.HostState;
import io.studiocp.identity.Actor;
import io.studiocp.platform.Rejection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code POST /hosts/{hostId}/extend}: the host expires {@code ttlHours} from now, at most
 * {@code MaxTtlHours} from now and never past {@code MaxHostLifetimeHours} after it was created.
 */
public final class ExtendHost {

  private final HostQueries queries;
  private final HostFleet fleet;
  private final HostPolicy policy;
  private final Clock clock;

  public ExtendHost(HostQueries queries, HostFleet fleet, HostPolicy policy, Clock clock) {
    this.queries = queries;
    this.fleet = fleet;
    this.policy = policy;
    this.clock = clock;
  }

  public Host extend(Actor actor, String hostId, int ttlHours) {
    if (!policy.ttlHours().contains(ttlHours)) {
      throw Rejection.invalid("ttlHours", "must be from 1 to " + policy.maxTtlHours() + ", got " + ttlHours);
    }
    Host host = queries.visible(actor, hostId);
    LifecycleRules.requireState(host, "extended", HostState.READY, HostState.STOPPED, HostState.STARTING);
    Instant now = clock.instant();
    Instant expires = now.plus(Duration.ofHours(ttlHours));
    Instant lifetimeEnds = host.createdAt().plus(Duration.ofHours(policy.maxHostLifetimeHours()));
    if (expires.isAfter(lifetimeEnds)) {
      long left = Math.max(0, Duration.between(now, lifetimeEnds).toHours());
      throw Rejection.invalid("ttlHours", "at most " + left + " now: host " + host.id() + " was created at "
          + host.createdAt() + " and may live " + policy.maxHostLifetimeHours()
          + " hours (MaxHostLifetimeHours), until " + lifetimeEnds);
    }
    fleet.extend(LifecycleRules.liveInstance(fleet, host, "extended"), expires);
    return host.withExpiry(expires);
  }
}

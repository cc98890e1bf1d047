package io.studiocp.admin;

import io.studiocp.hosts.Host;
import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.pool.PoolCosts;
import io.studiocp.hosts.pool.PoolSettings;
import io.studiocp.identity.Actor;
import io.studiocp.platform.Concurrently;
import io.studiocp.platform.Rejection;
import io.studiocp.police.StudioInventory;
import io.studiocp.pricing.PriceList;
import io.studiocp.ssh.SshRegistry;
import io.studiocp.studio.StudioUser;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin console's reads: the report (one Studio sweep, the police's, beside one read of the
 * fleet; no call per user) and the explanation of one resource.
 */
public final class AdminReports {

  private final StudioInventory studio;
  private final HostFleet fleet;
  private final ReportBuilder builder;
  private final List<String> domainIds;
  private final Clock clock;
  private final Optional<SshReport> ssh;
  private final PoolCosts pool;

  public AdminReports(StudioInventory studio, HostFleet fleet, PriceList prices, List<String> domainIds, Clock clock) {
    this(studio, fleet, prices, domainIds, clock, Optional.empty());
  }

  /** With {@code ssh}, the report also lists the SSH targets and activations and their advanced-tier cost. */
  public AdminReports(StudioInventory studio, HostFleet fleet, PriceList prices, List<String> domainIds, Clock clock,
      Optional<SshRegistry> ssh) {
    this(studio, fleet, prices, domainIds, clock, ssh, new PoolCosts(PoolSettings.none(), prices, 0));
  }

  /** With {@code pool}, the report's pool section prices the configured pools too (the waiting hosts are always listed). */
  public AdminReports(StudioInventory studio, HostFleet fleet, PriceList prices, List<String> domainIds, Clock clock,
      Optional<SshRegistry> ssh, PoolCosts pool) {
    this.pool = pool;
    this.ssh = ssh.map(registry -> new SshReport(registry, prices));
    this.studio = studio;
    this.fleet = fleet;
    this.builder = new ReportBuilder(prices);
    this.domainIds = List.copyOf(domainIds);
    this.clock = clock;
  }

  public AdminReport report() {
    Instant now = clock.instant();
    var sweep = Concurrently.start(() -> studio.snapshot(domainIds));
    var sshSweep = ssh.map(s -> Concurrently.start(() -> s.build(now)));
    HostFleet.Census census = fleet.census();
    List<HostInstance> hosts = census.hosts().stream()
        .filter(i -> i.domainId().map(domainIds::contains).orElse(false))
        .toList();
    AdminReport report = builder.build(Concurrently.join(sweep), hosts, domainIds, now)
        .withPools(pool.of(census.pooled(), domainIds, now));
    return sshSweep.map(s -> report.withSsh(Concurrently.join(s))).orElse(report);
  }

  /** Explains a host, an app or a space. */
  public Explanation explain(Actor admin, Target target, AdminHosts hosts, StudioApps apps, Explainer explainer) {
    Instant now = clock.instant();
    return switch (target) {
      case Target.Host h -> {
        Host host = hosts.find(admin, h.hostId());
        HostInstance newest = fleet.instancesOf(new HostId(h.hostId())).stream().findFirst()
            .orElseThrow(() -> Rejection.notFound("host " + host.id() + " has no instance any more"));
        yield explainer.host(newest, now);
      }
      case Target.App a -> {
        Domains.requireManaged(a.domainId(), domainIds);
        StudioApps.App app = apps.app(a).orElseThrow(() -> Rejection.notFound("no " + a.describe()));
        Optional<StudioApps.Space> space = app.space() == null ? Optional.empty() : apps.space(a.domainId(), app.space());
        yield explainer.app(app, withSpaceMarks(apps.tags(app.arn()), space.map(s -> apps.tags(s.arn()))
            .orElse(Map.of())), owner(app, space), now);
      }
      case Target.Space s -> {
        Domains.requireManaged(s.domainId(), domainIds);
        StudioApps.Space space = apps.space(s.domainId(), s.spaceName())
            .orElseThrow(() -> Rejection.notFound("no " + s.describe()));
        Map<String, String> spaceTags = apps.tags(space.arn());
        List<Explanation> each = apps.appsOf(space).stream().filter(StudioApps.App::running)
            .map(app -> explainer.app(app, withSpaceMarks(apps.tags(app.arn()), spaceTags), space.owner(), now))
            .toList();
        yield explainer.space(space, spaceTags, each);
      }
    };
  }

  private static Optional<StudioUser> owner(StudioApps.App app, Optional<StudioApps.Space> space) {
    if (app.space() == null) {
      return Optional.of(new StudioUser(app.domainId(), app.userProfile()));
    }
    return space.flatMap(StudioApps.Space::owner);
  }

  /** A space's exemption and snooze count for its apps (as the police read them). */
  private static Map<String, String> withSpaceMarks(Map<String, String> app, Map<String, String> space) {
    java.util.Map<String, String> merged = new java.util.HashMap<>(app);
    for (String key : List.of(io.studiocp.police.PoliceTags.EXEMPT, io.studiocp.police.PoliceTags.SNOOZE_UNTIL,
        PoliceMarks.EXEMPT_REASON, PoliceMarks.SNOOZE_REASON)) {
      if (!merged.containsKey(key) && space.containsKey(key)) {
        merged.put(key, space.get(key));
      }
    }
    return merged;
  }
}

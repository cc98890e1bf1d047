package io.studiocp.admin;

import io.studiocp.hosts.Host;
import io.studiocp.hosts.HostCosts;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostState;
import io.studiocp.police.PolicedResource;
import io.studiocp.police.ResourceKind;
import io.studiocp.police.StudioInventory;
import io.studiocp.pricing.PriceList;
import io.studiocp.studio.StudioUser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the admin report from one Studio sweep and one read of the fleet. Pure: no AWS, the
 * clock is the caller's.
 */
public final class ReportBuilder {

  /** The key of what belongs to no user in per-user totals and top spenders. */
  public static final String SHARED = "(shared)";
  static final int TOP_SPENDERS = 10;
  static final Duration FAILURE_WINDOW = Duration.ofHours(24);

  private final PriceList prices;

  public ReportBuilder(PriceList prices) {
    this.prices = prices;
  }

  private static final class UserAcc {
    final List<AdminReport.App> apps = new ArrayList<>();
    final List<AdminReport.Space> spaces = new ArrayList<>();
    final List<AdminReport.HostEntry> hosts = new ArrayList<>();
    double soFar;
    double perDay;
  }

  private static final class CostAcc {
    int count;
    double soFar;
    double perDay;

    void add(Double soFarUsd, Double perDayUsd) {
      count++;
      soFar += soFarUsd == null ? 0 : soFarUsd;
      perDay += perDayUsd == null ? 0 : perDayUsd;
    }

    AdminReport.Cost cost() {
      return new AdminReport.Cost(count, round(soFar), round(perDay));
    }
  }

  public AdminReport build(StudioInventory.Snapshot studio, List<HostInstance> hosts, List<String> domains, Instant now) {
    Map<StudioUser, UserAcc> users = new TreeMap<>(Comparator.comparing(StudioUser::owner));
    UserAcc shared = new UserAcc();
    Map<String, CostAcc> byFamily = new TreeMap<>();
    List<String> notes = new ArrayList<>();
    int apps = 0;
    int running = 0;
    int hostCount = 0;

    for (PolicedResource r : studio.apps()) {
      AdminReport.App app = app(r, now);
      UserAcc acc = r.owner().map(o -> users.computeIfAbsent(o, k -> new UserAcc())).orElse(shared);
      acc.apps.add(app);
      acc.soFar += nz(app.costSoFarUsd());
      acc.perDay += nz(app.costPerDayUsd());
      byFamily.computeIfAbsent(family(r.instanceType()), k -> new CostAcc()).add(app.costSoFarUsd(), app.costPerDayUsd());
      if (app.costSoFarUsd() == null) {
        notes.add(r.kind().label() + " " + r.name() + ": no price for " + r.instanceType() + "; its cost is not counted");
      }
      apps++;
    }
    for (StudioInventory.Space s : studio.spaces()) {
      AdminReport.Space space = new AdminReport.Space(s.domainId(), s.name(), s.sharingType(),
          s.owner().map(StudioUser::owner).orElse(null), s.status(), PoliceMarks.of(s.tags()));
      s.owner().map(o -> users.computeIfAbsent(o, k -> new UserAcc())).orElse(shared).spaces.add(space);
    }
    List<AdminReport.Failure> failures = new ArrayList<>();
    boolean stoppedHosts = false;
    for (HostInstance instance : hosts) {
      Host host = instance.toHost();
      if (host.state() == HostState.FAILED) {
        Instant at = Optional.ofNullable(host.createdAt()).orElse(now);
        if (!at.isBefore(now.minus(FAILURE_WINDOW))) {
          failures.add(new AdminReport.Failure(host.id().value(), owner(host), instance.instanceId(), at.toString(),
              host.failureReason()));
        }
        continue;
      }
      if (host.state() == HostState.TERMINATED || host.state() == HostState.TERMINATING) {
        continue;
      }
      AdminReport.HostEntry entry = host(instance, host, now);
      UserAcc acc = Optional.ofNullable(host.owner()).map(o -> users.computeIfAbsent(o, k -> new UserAcc())).orElse(shared);
      acc.hosts.add(entry);
      acc.soFar += nz(entry.costSoFarUsd());
      acc.perDay += nz(entry.costPerDayUsd());
      hostCount++;
      if ("running".equals(instance.ec2State()) || "pending".equals(instance.ec2State())) {
        running++;
        byFamily.computeIfAbsent(family(instance.instanceType()), k -> new CostAcc())
            .add(entry.costSoFarUsd(), entry.costPerDayUsd());
      } else {
        stoppedHosts = true;
      }
    }
    if (stoppedHosts) {
      notes.add("stopped hosts cost only their volume (gp3): their cost per day is that, where its size is known");
    }
    for (Map.Entry<StudioUser, Map<String, String>> profile : studio.profileTags().entrySet()) {
      if (HomeUsage.parse(profile.getValue().get(HomeUsage.TAG)).isPresent()) {
        users.computeIfAbsent(profile.getKey(), k -> new UserAcc());
      }
    }

    List<AdminReport.User> userEntries = new ArrayList<>();
    Map<String, CostAcc> byUser = new TreeMap<>();
    List<AdminReport.Spender> spenders = new ArrayList<>();
    double soFar = shared.soFar;
    double perDay = shared.perDay;
    for (Map.Entry<StudioUser, UserAcc> e : users.entrySet()) {
      StudioUser user = e.getKey();
      UserAcc acc = e.getValue();
      AdminReport.Home usage = HomeUsage.parse(studio.profileTags().getOrDefault(user, Map.of()).get(HomeUsage.TAG))
          .map(h -> new AdminReport.Home(h.bytes(), HomeUsage.readable(h.bytes()), h.measuredAt().toString())).orElse(null);
      userEntries.add(new AdminReport.User(user.owner(), user.domainId(), user.userProfileName(), List.copyOf(acc.apps),
          List.copyOf(acc.spaces), List.copyOf(acc.hosts), usage, round(acc.soFar), round(acc.perDay)));
      CostAcc cost = new CostAcc();
      cost.count = acc.apps.size() + acc.hosts.size();
      cost.soFar = acc.soFar;
      cost.perDay = acc.perDay;
      byUser.put(user.owner(), cost);
      if (cost.count > 0) {
        spenders.add(new AdminReport.Spender(user.owner(), round(acc.perDay), round(acc.soFar), acc.apps.size(),
            acc.hosts.size()));
      }
      soFar += acc.soFar;
      perDay += acc.perDay;
    }
    if (!shared.apps.isEmpty()) {
      CostAcc cost = new CostAcc();
      cost.count = shared.apps.size() + shared.hosts.size();
      cost.soFar = shared.soFar;
      cost.perDay = shared.perDay;
      byUser.put(SHARED, cost);
      spenders.add(new AdminReport.Spender(SHARED, round(shared.perDay), round(shared.soFar), shared.apps.size(),
          shared.hosts.size()));
    }
    spenders.sort(Comparator.comparingDouble(AdminReport.Spender::costPerDayUsd).reversed()
        .thenComparing(Comparator.comparingDouble(AdminReport.Spender::costSoFarUsd).reversed())
        .thenComparing(AdminReport.Spender::owner));
    failures.sort(Comparator.comparing(AdminReport.Failure::at).reversed());

    Map<String, AdminReport.Cost> families = new LinkedHashMap<>();
    byFamily.forEach((k, v) -> families.put(k, v.cost()));
    Map<String, AdminReport.Cost> perUser = new LinkedHashMap<>();
    byUser.forEach((k, v) -> perUser.put(k, v.cost()));
    AdminReport.Totals totals = new AdminReport.Totals(apps, studio.spaces().size(), hostCount, running, round(soFar),
        round(perDay), families, perUser);
    return new AdminReport(now.toString(), List.copyOf(domains), userEntries,
        new AdminReport.Shared(List.copyOf(shared.apps), List.copyOf(shared.spaces), round(shared.soFar),
            round(shared.perDay)),
        failures, totals, List.copyOf(spenders.subList(0, Math.min(TOP_SPENDERS, spenders.size()))), List.copyOf(notes));
  }

  private AdminReport.App app(PolicedResource r, Instant now) {
    Duration age = r.age(now);
    Optional<Double> hourly = prices.hourly(r.instanceType());
    PolicedResource.Location l = r.location();
    return new AdminReport.App(r.kind() == ResourceKind.SPACE_APP ? "space app" : "app", r.domainId(), r.name(),
        l.appType(), l.appName(), r.owner().map(StudioUser::userProfileName).orElse(null), l.spaceName(),
        r.instanceType(), r.startedAt().toString(), hours(age), hourly.map(h -> round(h * age.toSeconds() / 3600.0)).orElse(null),
        hourly.map(h -> round(h * 24)).orElse(null), PoliceMarks.of(r.tags()));
  }

  private AdminReport.HostEntry host(HostInstance instance, Host host, Instant now) {
    boolean runs = "running".equals(instance.ec2State()) || "pending".equals(instance.ec2State());
    Optional<Double> hourly = prices.hourly(instance.instanceType());
    Instant since = instance.launchTime();
    Double soFar = runs && since != null ? hourly.map(h -> round(h * Duration.between(since, now).toSeconds() / 3600.0))
        .orElse(null) : Double.valueOf(0);
    // Per day: instance and volume while it runs, the volume alone while stopped (HostCosts).
    Double perDay = HostCosts.hourly(host, prices).map(h -> round(h * 24))
        .orElse(runs ? hourly.map(h -> round(h * 24)).orElse(null) : Double.valueOf(0));
    Instant created = host.createdAt();
    Instant expires = host.expiresAt();
    return new AdminReport.HostEntry(host.id().value(), instance.instanceId(), host.state().name(),
        instance.instanceType(), created == null ? null : created.toString(),
        created == null ? null : hours(Duration.between(created, now)), expires == null ? null : expires.toString(),
        expires == null ? null : hours(Duration.between(now, expires)),
        host.lastActive() == null ? null : host.lastActive().at().toString(),
        host.lastActive() == null ? null : host.lastActive().signal(), host.stopReason(), soFar, perDay,
        PoliceMarks.of(instance.tags()));
  }

  private static String owner(Host host) {
    return host.owner() == null ? null : host.owner().owner();
  }

  /** The instance family: "ml.g4dn.xlarge" is "ml.g4dn", "m5.large" is "m5". */
  public static String family(String instanceType) {
    if (instanceType == null || instanceType.isBlank()) {
      return "unknown";
    }
    int dot = instanceType.lastIndexOf('.');
    return dot > 0 ? instanceType.substring(0, dot) : instanceType;
  }

  static double hours(Duration d) {
    return Math.round(d.toSeconds() / 36.0) / 100.0;
  }

  static double round(double usd) {
    return Math.round(usd * 100) / 100.0;
  }

  private static double nz(Double value) {
    return value == null ? 0 : value;
  }
}

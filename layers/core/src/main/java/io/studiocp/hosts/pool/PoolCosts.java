package io.studiocp.hosts.pool;

import io.studiocp.hosts.HostCosts;
import io.studiocp.hosts.HostInstance;
import io.studiocp.pricing.Dollars;
import io.studiocp.pricing.PriceList;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the warm pool costs, per domain: the pool hosts waiting now (type, how long they have
 * waited, what they cost an hour and so far) and each configured pool's cost a month, kept as
 * configured: size × hours kept a month × (instance hourly + volume hourly). Prices from the price
 * list every other cost comes from. Pure: the hosts and the clock are the caller's.
 */
public final class PoolCosts {

  /** Hours in a month, as the price list's month (gp3's GiB-month). */
  static final double HOURS_PER_MONTH = 730;
  /** Weeks in an average month. */
  static final double WEEKS_PER_MONTH = 365.25 / 12 / 7;

  /** A pool host waiting for a claim. {@code hourlyUsd} is instance and volume; null when the type is not priced. */
  public record WaitingHost(String instanceId, String instanceType, String waitingSince, double waitedHours,
      Double hourlyUsd, Double costSoFarUsd) {}

  /** A configured pool of one type and its cost a month as configured; null when the type is not priced. */
  public record ConfiguredPool(String instanceType, int size, double hoursPerMonth, int volumeGiB, Double hourlyUsd,
      Double monthlyUsd) {}

  /**
   * One domain's pool: what waits now and what is configured. {@code waitingHourlyUsd} is what the
   * waiting hosts cost an hour together, {@code monthlyUsd} the configured pools' month together
   * (priced types only).
   */
  public record DomainPoolCost(String domainId, List<WaitingHost> waiting, List<ConfiguredPool> configured,
      String hours, double waitingHourlyUsd, double waitedSoFarUsd, double monthlyUsd) {

    public DomainPoolCost {
      waiting = List.copyOf(waiting);
      configured = List.copyOf(configured);
    }
  }

  private final PoolSettings settings;
  private final PriceList prices;
  private final int volumeGiB;

  /** @param volumeGiB the volume a pool host is launched with (the hosts' default) */
  public PoolCosts(PoolSettings settings, PriceList prices, int volumeGiB) {
    this.settings = settings;
    this.prices = prices;
    this.volumeGiB = volumeGiB;
  }

  /**
   * Every domain with a configured pool or a waiting pool host, among {@code domainIds} (all when
   * empty), in order of domain id.
   */
  public List<DomainPoolCost> of(List<HostInstance> pooled, List<String> domainIds, Instant now) {
    Map<String, List<HostInstance>> byDomain = new TreeMap<>();
    pooled.stream().filter(HostInstance::isPooled).filter(i -> !i.isGone())
        .forEach(i -> byDomain.computeIfAbsent(i.poolDomain().orElse(""), k -> new ArrayList<>()).add(i));
    TreeSet<String> domains = new TreeSet<>(byDomain.keySet());
    settings.domainIds().stream().filter(d -> !settings.sizes(d).isEmpty()).forEach(domains::add);
    List<DomainPoolCost> costs = new ArrayList<>();
    for (String domainId : domains) {
      if (!domainIds.isEmpty() && !domainIds.contains(domainId)) {
        continue;
      }
      costs.add(domain(domainId, byDomain.getOrDefault(domainId, List.of()), now));
    }
    return costs;
  }

  private DomainPoolCost domain(String domainId, List<HostInstance> hosts, Instant now) {
    List<WaitingHost> waiting = hosts.stream()
        .sorted(Comparator.comparing(HostInstance::instanceType).thenComparing(HostInstance::createdAt,
            Comparator.nullsLast(Comparator.naturalOrder())))
        .map(i -> waiting(i, now))
        .toList();
    Optional<PoolSettings.Hours> hours = Optional.ofNullable(settings.domains().get(domainId))
        .flatMap(PoolSettings.DomainPool::hours);
    double hoursPerMonth = hours.map(PoolCosts::hoursPerMonth).orElse(HOURS_PER_MONTH);
    List<ConfiguredPool> configured = new ArrayList<>();
    new TreeMap<>(settings.sizes(domainId)).forEach((type, size) -> {
      Optional<Double> hourly = HostCosts.running(type, volumeGiB, prices);
      configured.add(new ConfiguredPool(type, size, round(hoursPerMonth), volumeGiB, hourly.map(PoolCosts::perHour).orElse(null),
          hourly.map(h -> round(size * hoursPerMonth * h)).orElse(null)));
    });
    return new DomainPoolCost(domainId, waiting, configured,
        hours.map(PoolCosts::describe).orElse(settings.sizes(domainId).isEmpty() ? "not configured" : "around the clock"),
        perHour(waiting.stream().mapToDouble(w -> w.hourlyUsd() == null ? 0 : w.hourlyUsd()).sum()),
        round(waiting.stream().mapToDouble(w -> w.costSoFarUsd() == null ? 0 : w.costSoFarUsd()).sum()),
        round(configured.stream().mapToDouble(c -> c.monthlyUsd() == null ? 0 : c.monthlyUsd()).sum()));
  }

  private WaitingHost waiting(HostInstance i, Instant now) {
    Instant since = Optional.ofNullable(i.launchTime()).orElse(i.createdAt());
    Duration waited = since == null || since.isAfter(now) ? Duration.ZERO : Duration.between(since, now);
    Optional<Double> hourly = HostCosts.running(i.instanceType(), i.volumeGiB().orElse(volumeGiB), prices);
    return new WaitingHost(i.instanceId(), i.instanceType(), since == null ? null : since.toString(),
        Math.round(waited.toSeconds() / 36.0) / 100.0, hourly.map(PoolCosts::perHour).orElse(null),
        hourly.map(h -> round(h * waited.toSeconds() / 3600.0)).orElse(null));
  }

  /**
   * The pools as text, for the admins' digest and the report's summary: per domain, its configured
   * pools' month and the hosts waiting now.
   */
  public static String summary(List<DomainPoolCost> pools) {
    StringBuilder out = new StringBuilder("Warm pool (hosts waiting for a claim belong to nobody: the account pays):\n");
    for (DomainPoolCost d : pools) {
      out.append("  ").append(d.domainId()).append(", kept ").append(d.hours()).append(": ")
          .append(d.configured().isEmpty() ? "no pool configured"
              : String.join(", ", d.configured().stream().map(c -> c.instanceType() + " x " + c.size() + " ("
                  + Math.round(c.hoursPerMonth()) + " h a month, " + (c.monthlyUsd() == null ? "no price for the type"
                      : Dollars.format(c.monthlyUsd()) + " a month") + ")").toList()))
          .append("; about ").append(Dollars.format(d.monthlyUsd())).append(" a month as configured\n");
      for (WaitingHost w : d.waiting()) {
        out.append(String.format(Locale.ROOT, "    %-20s %-12s waiting %7.2f h  %s%n", w.instanceId(), w.instanceType(),
            w.waitedHours(), w.hourlyUsd() == null ? "no price for its type"
                : String.format(Locale.ROOT, "$%.4f an hour, %s so far", w.hourlyUsd(), Dollars.format(w.costSoFarUsd()))));
      }
      if (!d.waiting().isEmpty()) {
        out.append(String.format(Locale.ROOT, "    %d waiting now: $%.4f an hour together, %s so far%n",
            d.waiting().size(), d.waitingHourlyUsd(), Dollars.format(d.waitedSoFarUsd())));
      }
    }
    return out.toString();
  }

  /** The hours a pool with these hours is kept in an average month. */
  static double hoursPerMonth(PoolSettings.Hours hours) {
    double perDay = Duration.between(hours.from(), hours.to()).toMinutes() / 60.0;
    return Math.max(0, perDay) * hours.days().size() * WEEKS_PER_MONTH;
  }

  private static String describe(PoolSettings.Hours h) {
    return String.join(",", h.days().stream().sorted().map(d -> d.name().substring(0, 3)).toList()) + " " + h.from()
        + "-" + h.to() + " " + h.zone();
  }

  private static double round(double usd) {
    return Math.round(usd * 100) / 100.0;
  }

  /** An hourly price, to a hundredth of a cent. */
  private static double perHour(double usd) {
    return Math.round(usd * 10000) / 10000.0;
  }
}

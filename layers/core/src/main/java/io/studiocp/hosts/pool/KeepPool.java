package io.studiocp.hosts.pool;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostInstance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Keeps the warm pool at its size: per domain and instance type, launches the pool hosts that are
 * missing and terminates the extras, and outside a pool's hours all of them (the oldest go first),
 * with their tickets; a pool host older than 13 days is replaced (its ticket would expire).
 * Runs in the cleanup's scheduled run and after every claim (the refill). One pool's failure (a
 * domain gone, no subnet for the type) is reported and leaves the other pools kept.
 */
public final class KeepPool {

  /** What happened to one pool host. */
  public enum Action { LAUNCHED, RETIRED, TICKETED }

  public record Change(String domainId, String instanceType, Action action, String instanceId, String reason) {}

  /** A pool that could not be kept, and why. */
  public record Problem(String domainId, String instanceType, String reason) {}

  public record Report(List<Change> changes, List<Problem> problems) {

    public Report {
      changes = List.copyOf(changes);
      problems = List.copyOf(problems);
    }

    public long count(Action action) {
      return changes.stream().filter(c -> c.action() == action).count();
    }
  }

  /** How long a pool host waits at most (its ticket lives 14 days). */
  static final Duration MAX_AGE = Duration.ofDays(13);

  private final PoolSettings settings;
  private final HostFleet fleet;
  private final PoolLaunch launch;
  private final Clock clock;

  public KeepPool(PoolSettings settings, HostFleet fleet, PoolLaunch launch, Clock clock) {
    this.settings = settings;
    this.fleet = fleet;
    this.launch = launch;
    this.clock = clock;
  }

  /** Keeps every pool: the configured ones, and any pool host whose pool is no longer configured. */
  public Report keep() {
    return keep(fleet.pooled(), null, null);
  }

  /** Keeps one domain's pool of one type (the refill after a claim). */
  public Report refill(String domainId, String instanceType) {
    return keep(fleet.pooled(), domainId, instanceType);
  }

  private Report keep(List<HostInstance> pooled, String onlyDomain, String onlyType) {
    Instant now = clock.instant();
    Map<String, List<HostInstance>> byPool = new TreeMap<>(pooled.stream()
        .collect(Collectors.groupingBy(i -> key(i.poolDomain().orElse(""), i.instanceType()))));
    Set<String> pools = new TreeSet<>(byPool.keySet());
    for (String domainId : settings.domainIds()) {
      settings.sizes(domainId).keySet().forEach(type -> pools.add(key(domainId, type)));
    }
    List<Change> changes = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (String pool : pools) {
      String domainId = pool.substring(0, pool.indexOf('/'));
      String type = pool.substring(pool.indexOf('/') + 1);
      if (onlyDomain != null && (!onlyDomain.equals(domainId) || !onlyType.equals(type))) {
        continue;
      }
      List<HostInstance> all = byPool.getOrDefault(pool, List.of()).stream()
          .sorted(Comparator.comparing(HostInstance::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())))
          .toList();
      int desired = settings.desired(domainId, type, now);
      try {
        // A pool host's ticket lives at most SQS's 14 days: older hosts are replaced before that.
        List<HostInstance> aged = all.stream()
            .filter(i -> i.createdAt() != null && i.createdAt().isBefore(now.minus(MAX_AGE))).toList();
        List<HostInstance> have = all.stream().filter(i -> !aged.contains(i)).toList();
        if (!aged.isEmpty()) {
          retire(domainId, type, aged, "older than " + MAX_AGE.toDays() + " days (replaced)", changes);
        }
        if (have.size() > desired) {
          List<HostInstance> extras = have.subList(0, have.size() - desired);
          String reason = desired == 0 && settings.sizes(domainId).getOrDefault(type, 0) > 0
              ? "outside the pool's hours" : "more than the pool's size of " + desired;
          retire(domainId, type, extras, reason, changes);
        } else if (have.size() < desired) {
          if (have.isEmpty()) {
            launch.mendTickets(domainId, type, have, now);
          }
          for (String id : launch.launch(domainId, type, have.size(), desired - have.size(), now)) {
            changes.add(new Change(domainId, type, Action.LAUNCHED, id, "the pool keeps " + desired));
          }
        } else if (onlyDomain == null) {
          // The scheduled run (not the refill, which runs while other claims may be under way).
          for (String id : launch.mendTickets(domainId, type, have, now)) {
            changes.add(new Change(domainId, type, Action.TICKETED, id, "it waited without a ticket"));
          }
        }
      } catch (RuntimeException e) {
        problems.add(new Problem(domainId, type, e.getMessage()));
      }
    }
    return new Report(changes, problems);
  }

  private void retire(String domainId, String type, List<HostInstance> hosts, String reason, List<Change> changes) {
    fleet.retirePooled(hosts);
    hosts.forEach(i -> changes.add(new Change(domainId, type, Action.RETIRED, i.instanceId(), reason)));
    launch.forget(domainId, type, hosts.size());
  }

  private static String key(String domainId, String instanceType) {
    return domainId + "/" + instanceType;
  }
}

package io.studiocp.police;

import io.studiocp.pricing.PriceList;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides, without side effects, what a run does about each resource: which are long running, who
 * is reminded (at most once per reminder interval), who gets the final notice (one interval before
 * the stop), and what is stopped (only after the grace period that starts with the first reminder,
 * and only after the final notice). Exempt and snoozed resources are never touched.
 */
public final class PolicePlanner {

  private final PolicePolicy policy;
  private final PriceList prices;

  public PolicePlanner(PolicePolicy policy, PriceList prices) {
    this.policy = policy;
    this.prices = prices;
  }

  /** The long-running resources among {@code resources}, each with its action; oldest first. */
  public List<PlannedItem> plan(List<PolicedResource> resources, Instant now) {
    List<PlannedItem> items = new ArrayList<>();
    for (PolicedResource resource : resources) {
      Optional<Duration> threshold = policy.thresholdFor(resource.instanceType());
      Duration age = resource.age(now);
      if (threshold.isEmpty() || age.compareTo(threshold.get()) < 0) {
        continue;
      }
      Optional<Double> cost = prices.cost(resource.instanceType(), age);
      items.add(decide(resource, now, age, threshold.get(), cost));
    }
    items.sort(Comparator.comparing(PlannedItem::age).reversed());
    return items;
  }

  private PlannedItem decide(PolicedResource resource, Instant now, Duration age, Duration threshold,
      Optional<Double> cost) {
    if (resource.tag(PoliceTags.EXEMPT).filter(v -> !v.equalsIgnoreCase("false")).isPresent()) {
      return new PlannedItem(resource, PoliceAction.EXEMPT, age, threshold, Optional.empty(), cost);
    }
    Optional<Instant> snoozeUntil = resource.tag(PoliceTags.SNOOZE_UNTIL).flatMap(PolicePlanner::time);
    if (snoozeUntil.isPresent() && snoozeUntil.get().isAfter(now)) {
      return new PlannedItem(resource, PoliceAction.SNOOZED, age, threshold, Optional.empty(), cost);
    }
    Optional<Instant> firstReminded = resource.tag(PoliceTags.FIRST_REMINDED_AT).flatMap(PolicePlanner::time);
    Optional<Instant> lastReminded = resource.tag(PoliceTags.REMINDED_AT).flatMap(PolicePlanner::time);
    Optional<Instant> finalNotice = resource.tag(PoliceTags.FINAL_NOTICE_AT).flatMap(PolicePlanner::time);
    Duration interval = policy.reminderInterval();

    if (enforces(resource.kind())) {
      Instant stopAt = firstReminded.orElse(now).plus(policy.grace());
      if (firstReminded.isPresent()) {
        if (finalNotice.isPresent()) {
          Instant due = later(stopAt, finalNotice.get().plus(interval));
          PoliceAction action = now.isBefore(due) ? PoliceAction.WAIT : PoliceAction.STOP;
          return new PlannedItem(resource, action, age, threshold, Optional.of(due), cost);
        }
        if (!now.isBefore(stopAt.minus(interval))) {
          return new PlannedItem(resource, PoliceAction.FINAL_NOTICE, age, threshold,
              Optional.of(later(stopAt, now.plus(interval))), cost);
        }
      }
      return new PlannedItem(resource, dueReminder(lastReminded, now, interval), age, threshold,
          Optional.of(stopAt), cost);
    }
    return new PlannedItem(resource, dueReminder(lastReminded, now, interval), age, threshold, Optional.empty(), cost);
  }

  private static PoliceAction dueReminder(Optional<Instant> lastReminded, Instant now, Duration interval) {
    return lastReminded.isEmpty() || !now.isBefore(lastReminded.get().plus(interval))
        ? PoliceAction.REMIND : PoliceAction.WAIT;
  }

  /** Whether enforcement is on for this kind of resource. */
  public boolean enforces(ResourceKind kind) {
    PolicePolicy.Enforcement e = policy.enforcement();
    return e.enabled() && switch (kind) {
      case APP -> e.apps() != PolicePolicy.AppAction.NONE;
      case SPACE_APP -> e.spaces() != PolicePolicy.AppAction.NONE;
      case HOST -> e.hosts() != PolicePolicy.HostAction.NONE;
    };
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** A tag's time: an ISO-8601 instant, or a date (meaning its start, UTC). */
  static Optional<Instant> time(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC));
      } catch (DateTimeParseException again) {
        return Optional.empty();
      }
    }
  }
}

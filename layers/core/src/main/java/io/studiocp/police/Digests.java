package io.studiocp.police;

import io.studiocp.hosts.pool.PoolCosts;
import io.studiocp.studio.StudioUser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import io.studiocp.pricing.Dollars;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The police's messages, in plain text and HTML: one digest per user with everything of theirs
 * that runs too long (what, how long, roughly what it cost, how to stop it, how to snooze it, and
 * when it will be stopped), and one digest for the admins with every flagged resource and totals.
 */
public final class Digests {

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private final PolicePolicy policy;

  public Digests(PolicePolicy policy) {
    this.policy = policy;
  }

  /** One user's digest: the items the run tells them about (reminders, final notices, stops). */
  public Email forUser(StudioUser owner, List<String> to, List<PlannedItem> items, Instant now) {
    long stopped = items.stream().filter(i -> i.action() == PoliceAction.STOP).count();
    boolean finalNotice = items.stream().anyMatch(i -> i.action() == PoliceAction.FINAL_NOTICE);
    String subject = stopped > 0
        ? "[Studio] " + stopped + " of your long-running resources " + (stopped == 1 ? "was" : "were") + " stopped"
        : (finalNotice ? "[Studio] Final notice: " : "[Studio] ") + items.size() + " long-running "
            + (items.size() == 1 ? "resource needs" : "resources need") + " your attention";
    StringBuilder text = new StringBuilder("Hello " + owner.userProfileName() + ",\n\n")
        .append("These Studio resources of yours (domain ").append(owner.domainId())
        .append(") have been running for a long time:\n\n");
    StringBuilder html = new StringBuilder("<p>Hello ").append(escape(owner.userProfileName())).append(",</p>")
        .append("<p>These Studio resources of yours (domain ").append(escape(owner.domainId()))
        .append(") have been running for a long time:</p><table border=\"1\" cellpadding=\"4\" "
            + "style=\"border-collapse:collapse\"><tr><th>What</th><th>Instance type</th><th>Running for</th>"
            + "<th>Cost so far</th><th>What happens</th><th>How to stop it</th><th>How to keep it</th></tr>");
    for (PlannedItem item : items) {
      String what = item.resource().kind().label() + " " + item.resource().name();
      String fate = fate(item, now);
      text.append("  * ").append(what).append(" on ").append(item.resource().instanceType()).append('\n')
          .append("    running for ").append(duration(item.age())).append(" (long running after ")
          .append(duration(item.threshold())).append(')')
          .append(item.costSoFarUsd().map(c -> "; about " + Dollars.format(c) + " so far").orElse("")).append('\n')
          .append("    ").append(fate).append('\n');
      if (item.action() != PoliceAction.STOP) {
        text.append("    Stop it: ").append(howToStop(item.resource())).append('\n')
            .append("    Keep it a while: ").append(howToSnooze(item.resource(), now)).append('\n');
      }
      text.append('\n');
      html.append("<tr><td>").append(escape(what)).append("</td><td>").append(escape(item.resource().instanceType()))
          .append("</td><td>").append(escape(duration(item.age()))).append("</td><td>")
          .append(escape(item.costSoFarUsd().map(Dollars::format).orElse("-"))).append("</td><td>")
          .append(escape(fate)).append("</td><td><code>")
          .append(item.action() == PoliceAction.STOP ? "" : escape(howToStop(item.resource())))
          .append("</code></td><td><code>")
          .append(item.action() == PoliceAction.STOP ? "" : escape(howToSnooze(item.resource(), now)))
          .append("</code></td></tr>");
    }
    html.append("</table>");
    double total = items.stream().mapToDouble(i -> i.costSoFarUsd().orElse(0.0)).sum();
    String footer = (total > 0 ? "Together they have cost about " + Dollars.format(total) + " so far.\n" : "")
        + "You are reminded about a resource at most once every " + duration(policy.reminderInterval()) + ".\n"
        + (policy.enforcement().enabled()
            ? "Long-running resources are stopped " + duration(policy.grace()) + " after the first reminder, "
                + "one reminder interval after a final notice, unless they are stopped, exempt or snoozed.\n"
            : "Nothing is stopped automatically; please stop what you no longer use.\n");
    text.append(footer).append("\n-- Studio Control Plane\n");
    html.append("<p>").append(escape(footer).replace("\n", "<br>")).append("</p><p>-- Studio Control Plane</p>");
    return new Email(to, subject, text.toString(), html.toString());
  }

  /** The admins' digest: every long-running resource, what the run did, delivery problems, totals. */
  public Email forAdmins(List<String> to, List<PlannedItem> items, List<Delivery> deliveries, List<String> failures,
      Instant now, boolean dryRun) {
    return forAdmins(to, items, deliveries, failures, List.of(), now, dryRun);
  }

  /** As above, with what the warm pool costs: its waiting hosts and each domain's pool a month, as configured. */
  public Email forAdmins(List<String> to, List<PlannedItem> items, List<Delivery> deliveries, List<String> failures,
      List<PoolCosts.DomainPoolCost> pools, Instant now, boolean dryRun) {
    Map<PoliceAction, Integer> counts = new EnumMap<>(PoliceAction.class);
    items.forEach(i -> counts.merge(i.action(), 1, Integer::sum));
    String subject = (dryRun ? "[Studio] Police (dry run): " : "[Studio] Police: ") + items.size() + " long-running, "
        + counts.getOrDefault(PoliceAction.REMIND, 0) + " reminded, "
        + counts.getOrDefault(PoliceAction.FINAL_NOTICE, 0) + " final notices, "
        + counts.getOrDefault(PoliceAction.STOP, 0) + " stopped";
    StringBuilder text = new StringBuilder("Police run of " + WHEN.format(now) + (dryRun ? " (dry run)" : "") + "\n\n");
    StringBuilder html = new StringBuilder("<p>Police run of ").append(WHEN.format(now))
        .append(dryRun ? " (dry run)" : "").append("</p><table border=\"1\" cellpadding=\"4\" "
            + "style=\"border-collapse:collapse\"><tr><th>Owner</th><th>What</th><th>Instance type</th>"
            + "<th>Running for</th><th>Cost so far</th><th>This run</th></tr>");
    for (PlannedItem item : items) {
      String owner = item.resource().owner().map(StudioUser::owner).orElse("shared space (admins)");
      String what = item.resource().kind().label() + " " + item.resource().name();
      String outcome = item.action().name().toLowerCase(Locale.ROOT).replace('_', ' ')
          + item.stopAt().filter(x -> item.action() != PoliceAction.STOP).map(s -> ", stop due " + WHEN.format(s)).orElse("");
      text.append(String.format(Locale.ROOT, "  %-34s %-60s %-16s %-16s %10s  %s%n", owner, what,
          item.resource().instanceType(), duration(item.age()), item.costSoFarUsd().map(Dollars::format).orElse("-"),
          outcome));
      html.append("<tr><td>").append(escape(owner)).append("</td><td>").append(escape(what)).append("</td><td>")
          .append(escape(item.resource().instanceType())).append("</td><td>").append(escape(duration(item.age())))
          .append("</td><td>").append(escape(item.costSoFarUsd().map(Dollars::format).orElse("-")))
          .append("</td><td>").append(escape(outcome)).append("</td></tr>");
    }
    html.append("</table>");
    List<String> problems = new ArrayList<>(failures);
    deliveries.stream().filter(d -> !d.delivered() && d.outcome() != Delivery.Outcome.PLANNED
            && d.outcome() != Delivery.Outcome.DEFERRED)
        .forEach(d -> problems.add(d.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " for "
            + String.join(", ", d.to()) + ": " + d.detail()));
    deferred(deliveries).ifPresent(problems::add);
    if (!problems.isEmpty()) {
      text.append("\nNeeds your attention:\n");
      html.append("<p>Needs your attention:</p><ul>");
      problems.forEach(p -> {
        text.append("  - ").append(p).append('\n');
        html.append("<li>").append(escape(p)).append("</li>");
      });
      html.append("</ul>");
    }
    double cost = items.stream().mapToDouble(i -> i.costSoFarUsd().orElse(0.0)).sum();
    String totals = "Totals: " + items.size() + " long-running resources ("
        + count(items, ResourceKind.APP) + " apps, " + count(items, ResourceKind.SPACE_APP) + " space apps, "
        + count(items, ResourceKind.HOST) + " Docker hosts); " + counts.getOrDefault(PoliceAction.REMIND, 0)
        + " reminded, " + counts.getOrDefault(PoliceAction.FINAL_NOTICE, 0) + " final notices, "
        + counts.getOrDefault(PoliceAction.STOP, 0) + " stopped, " + counts.getOrDefault(PoliceAction.WAIT, 0)
        + " reminded recently, " + counts.getOrDefault(PoliceAction.EXEMPT, 0) + " exempt, "
        + counts.getOrDefault(PoliceAction.SNOOZED, 0) + " snoozed"
        + (cost > 0 ? "; about " + Dollars.format(cost) + " spent on them so far (priced types only)" : "") + ".";
    text.append('\n').append(totals).append('\n');
    html.append("<p>").append(escape(totals)).append("</p>");
    if (!pools.isEmpty()) {
      String pool = PoolCosts.summary(pools);
      text.append('\n').append(pool);
      html.append("<pre>").append(escape(pool)).append("</pre>");
    }
    return new Email(to, subject, text.toString(), html.toString());
  }

  /**
   * The messages SES's quota kept back this run, as one line (there may be hundreds): they were
   * not marked as told, so the next run sends them.
   */
  public static Optional<String> deferred(List<Delivery> deliveries) {
    List<Delivery> deferred = deliveries.stream().filter(d -> d.outcome() == Delivery.Outcome.DEFERRED).toList();
    if (deferred.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(deferred.size() + (deferred.size() == 1 ? " message was" : " messages were")
        + " not sent this run (" + deferred.getFirst().detail() + "); the next run sends "
        + (deferred.size() == 1 ? "it" : "them") + ", first to " + String.join(", ", deferred.getFirst().to()));
  }

  private static long count(List<PlannedItem> items, ResourceKind kind) {
    return items.stream().filter(i -> i.resource().kind() == kind).count();
  }

  private static String fate(PlannedItem item, Instant now) {
    return switch (item.action()) {
      case STOP -> "STOPPED by policy now (" + stopVerb(item.resource().kind()) + ").";
      case FINAL_NOTICE -> "FINAL NOTICE: it will be stopped at " + WHEN.format(item.stopAt().orElse(now))
          + " unless you stop or snooze it.";
      default -> item.stopAt().map(s -> "It will be stopped around " + WHEN.format(s) + " unless you stop or snooze it.")
          .orElse("Please stop it if you no longer use it.");
    };
  }

  private static String stopVerb(ResourceKind kind) {
    return kind == ResourceKind.HOST ? "the host was stopped or terminated" : "the app was deleted; your files are kept";
  }

  static String howToStop(PolicedResource r) {
    PolicedResource.Location l = r.location();
    return switch (r.kind()) {
      case APP -> "shut it down in Studio, or: aws sagemaker delete-app --domain-id " + r.domainId()
          + " --user-profile-name " + l.userProfileName() + " --app-type " + l.appType() + " --app-name " + l.appName();
      case SPACE_APP -> "stop the space in Studio, or: aws sagemaker delete-app --domain-id " + r.domainId()
          + " --space-name " + l.spaceName() + " --app-type " + l.appType() + " --app-name " + l.appName();
      case HOST -> "sdocker terminate-host " + r.id();
    };
  }

  static String howToSnooze(PolicedResource r, Instant now) {
    String until = DAY.format(now.plus(Duration.ofDays(2)));
    return switch (r.kind()) {
      case APP, SPACE_APP -> "aws sagemaker add-tags --resource-arn " + r.id()
          + " --tags Key=" + PoliceTags.SNOOZE_UNTIL + ",Value=" + until;
      case HOST -> "ask an admin to tag instance " + r.location().instanceId() + " with "
          + PoliceTags.SNOOZE_UNTIL + "=" + until;
    };
  }

  static String duration(Duration d) {
    long days = d.toDays();
    long hours = d.toHoursPart();
    long minutes = d.toMinutesPart();
    List<String> parts = new ArrayList<>();
    if (days > 0) {
      parts.add(days + (days == 1 ? " day" : " days"));
    }
    if (hours > 0) {
      parts.add(hours + (hours == 1 ? " hour" : " hours"));
    }
    if (days == 0 && minutes > 0) {
      parts.add(minutes + (minutes == 1 ? " minute" : " minutes"));
    }
    return parts.isEmpty() ? "less than a minute" : String.join(" ", parts);
  }

  static String escape(String text) {
    return Optional.ofNullable(text).orElse("").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}

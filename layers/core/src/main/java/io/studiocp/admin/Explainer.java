package io.studiocp.admin;

import io.studiocp.cleanup.CleanupSettings;
import io.studiocp.hosts.Host;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostState;
import io.studiocp.police.PlannedItem;
import io.studiocp.police.PoliceAction;
import io.studiocp.police.PolicePlanner;
import io.studiocp.police.PolicePolicy;
import io.studiocp.police.PoliceTags;
import io.studiocp.police.PolicedResource;
import io.studiocp.police.ResourceKind;
import io.studiocp.pricing.PriceList;
import io.studiocp.studio.StudioUser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Explains one resource from what it carries (state, stop reason, last activity, marks) and the
 * rules in force: the cleanup's (expiry, IdleStopMinutes) for hosts and the police's policy for
 * everything. Pure: the caller reads the resource and gives the clock.
 */
public final class Explainer {

  private final PolicePolicy policy;
  private final PolicePlanner planner;
  private final CleanupSettings cleanup;
  private final PriceList prices;

  public Explainer(PolicePolicy policy, CleanupSettings cleanup, PriceList prices) {
    this.policy = policy;
    this.planner = new PolicePlanner(policy, prices);
    this.cleanup = cleanup;
    this.prices = prices;
  }

  /** A host, from its newest instance. */
  public Explanation host(HostInstance instance, Instant now) {
    Host host = instance.toHost();
    List<String> why = new ArrayList<>();
    Optional<Host.Activity> activity = Optional.ofNullable(host.lastActive());
    String rule = null;
    String stopAt = null;
    boolean runs = "running".equals(instance.ec2State());
    switch (host.state()) {
      case STOPPED -> {
        String reason = Optional.ofNullable(host.stopReason()).orElse("no reason recorded");
        rule = stopRule(reason);
        why.add("host " + host.id() + " is STOPPED: " + reason + ".");
        why.add("rule: " + rule + ".");
        why.add(activity.map(a -> "its last activity signal was " + a.signal() + " at " + a.at() + ".")
            .orElse("it never reported activity (no studiocp:last-active signal)."));
        why.add("its volume, certificates and images stay; sdocker start-host " + host.id()
            + " (or the admin console's start-host) brings it back.");
      }
      case READY -> {
        why.add("host " + host.id() + " is READY and " + instance.ec2State() + ", since " + host.readyAt() + ".");
        why.add(activity.map(a -> "last activity signal: " + a.signal() + " at " + a.at() + ".")
            .orElse("no activity reported since it became ready."));
        if (cleanup.idleStopOn() && runs) {
          Instant ready = Optional.ofNullable(host.readyAt()).orElse(instance.launchTime());
          Instant since = activity.map(Host.Activity::at).filter(at -> at.isAfter(ready)).orElse(ready);
          Instant idleStop = later(since.plus(cleanup.idleStop()), ready.plus(cleanup.idleGrace()));
          rule = "IdleStopMinutes";
          stopAt = idleStop.toString();
          why.add("rule: IdleStopMinutes (" + cleanup.idleStop().toMinutes() + " minutes, never within IdleGraceMinutes "
              + cleanup.idleGrace().toMinutes() + " after ready): idle since " + since + ", so the cleanup stops it at "
              + idleStop + " unless it is used before.");
        } else {
          why.add("the idle rule is off (IdleStopMinutes=0).");
        }
        if (host.expiresAt() != null) {
          why.add("expiry: at " + host.expiresAt() + " the cleanup " + (cleanup.expiredAction()
              == CleanupSettings.ExpiredAction.TERMINATE ? "terminates" : "stops") + " it (ExpiredHostAction); "
              + "extend-host moves it.");
          if (stopAt == null || host.expiresAt().isBefore(Instant.parse(stopAt))) {
            rule = rule == null ? "expiry" : rule;
            stopAt = host.expiresAt().toString();
          }
        }
      }
      case FAILED -> why.add("host " + host.id() + " FAILED: " + host.failureReason() + ".");
      default -> why.add("host " + host.id() + " is " + host.state() + ".");
    }
    PolicedResource policed = new PolicedResource(ResourceKind.HOST, host.id().value(), host.id().value(),
        host.owner() == null ? "" : host.owner().domainId(), Optional.ofNullable(host.owner()), instance.instanceType(),
        instance.launchTime(), instance.tags(), PolicedResource.Location.host(instance.instanceId()));
    boolean policedNow = host.state() == HostState.READY && runs;
    Police police = police(policed, now, policedNow, why);
    Optional<Double> hourly = prices.hourly(instance.instanceType());
    Double perDay = runs ? hourly.map(h -> ReportBuilder.round(h * 24)).orElse(null) : Double.valueOf(0);
    Double soFar = runs && instance.launchTime() != null
        ? prices.cost(instance.instanceType(), Duration.between(instance.launchTime(), now)).map(ReportBuilder::round)
            .orElse(null) : Double.valueOf(0);
    return new Explanation("host " + host.id() + " (" + instance.instanceId() + ", " + instance.instanceType() + ", of "
        + host.owner() + ")", host.state().name(), rule, activity.map(a -> a.at().toString()).orElse(null),
        activity.map(Host.Activity::signal).orElse(null), police.rule, police.action,
        police.nextReminder, stopAt != null ? stopAt : police.stopAt, police.snoozed, police.exempt, police.exemptReason,
        soFar, perDay, why);
  }

  /** An app (of a user profile or a space), with its tags and its space's marks. */
  public Explanation app(StudioApps.App app, Map<String, String> tags, Optional<StudioUser> owner, Instant now) {
    List<String> why = new ArrayList<>();
    Duration age = Duration.between(app.createdAt(), now);
    why.add("app " + app.appName() + " (" + app.appType() + ", " + app.instanceType() + ") is " + app.status()
        + ", created " + app.createdAt() + " (" + ReportBuilder.hours(age) + " hours ago).");
    why.add("Studio reports no activity signal for apps; the police judge them by age.");
    PolicedResource policed = new PolicedResource(app.space() == null ? ResourceKind.APP : ResourceKind.SPACE_APP,
        app.arn(), app.appName(), app.domainId(), owner, app.instanceType(), app.createdAt(), tags,
        PolicedResource.Location.app(app.userProfile(), app.space(), app.appType(), app.appName()));
    boolean priced = app.instanceType() != null && !"system".equals(app.instanceType());
    if (!priced) {
      why.add("it has no instance of its own (" + app.instanceType() + "): it costs nothing and is not policed.");
    }
    Police police = police(policed, now, app.running() && priced, why);
    Optional<Double> hourly = priced ? prices.hourly(app.instanceType()) : Optional.of(0.0);
    return new Explanation(describe(app), app.status(), police.rule, null, null, police.rule, police.action,
        police.nextReminder, police.stopAt, police.snoozed, police.exempt, police.exemptReason,
        app.running() ? hourly.map(h -> ReportBuilder.round(h * age.toSeconds() / 3600.0)).orElse(null) : null,
        app.running() ? hourly.map(h -> ReportBuilder.round(h * 24)).orElse(null) : null, why);
  }

  /** A space: its own marks, and each of its apps explained. */
  public Explanation space(StudioApps.Space space, Map<String, String> tags, List<Explanation> apps) {
    List<String> why = new ArrayList<>();
    why.add("space " + space.name() + " (" + space.sharingType() + space.owner().map(o -> ", owned by " + o).orElse("")
        + ") is " + space.status() + " with " + apps.stream().filter(a -> a.costPerDayUsd() != null).count()
        + " running app(s).");
    Map<String, String> marks = PoliceMarks.of(tags);
    if (!marks.isEmpty()) {
      why.add("marks on the space (they count for its apps): " + marks + ".");
    }
    apps.forEach(a -> why.add("- " + a.target() + ": " + String.join(" ", a.why().subList(Math.min(1, a.why().size()),
        a.why().size()))));
    double perDay = apps.stream().map(Explanation::costPerDayUsd).filter(c -> c != null).mapToDouble(d -> d).sum();
    double soFar = apps.stream().map(Explanation::costSoFarUsd).filter(c -> c != null).mapToDouble(d -> d).sum();
    String exempt = tags.get(PoliceTags.EXEMPT);
    return new Explanation("space " + space.name() + " in " + space.domainId(), space.status(), null, null, null, null,
        null, null, null, tags.get(PoliceTags.SNOOZE_UNTIL), exempt == null ? null : !exempt.equalsIgnoreCase("false"),
        tags.get(PoliceMarks.EXEMPT_REASON), ReportBuilder.round(soFar), ReportBuilder.round(perDay), why);
  }

  private record Police(String rule, String action, String nextReminder, String stopAt, String snoozed, Boolean exempt,
      String exemptReason) {}

  private Police police(PolicedResource r, Instant now, boolean policed, List<String> why) {
    Optional<PolicePolicy.Rule> rule = policy.longRunning().stream().filter(x -> x.matches(r.instanceType())).findFirst();
    String ruleText = rule.map(x -> "police rule \"" + x.match() + "\": long running after "
        + x.after().toHours() + " hours").orElse(null);
    String exemptValue = r.tag(PoliceTags.EXEMPT).orElse(null);
    Boolean exempt = exemptValue == null ? null : !exemptValue.equalsIgnoreCase("false");
    String exemptReason = r.tag(PoliceMarks.EXEMPT_REASON).orElse(null);
    String snoozed = r.tag(PoliceTags.SNOOZE_UNTIL).orElse(null);
    if (Boolean.TRUE.equals(exempt)) {
      why.add("exempt from the police (studiocp:exempt=" + exemptValue + ")"
          + (exemptReason == null ? "" : ": " + exemptReason) + ".");
    } else if (snoozed != null) {
      why.add("snoozed until " + snoozed + r.tag(PoliceMarks.SNOOZE_REASON).map(s -> " (" + s + ")").orElse("") + ".");
    }
    if (!policed) {
      return new Police(ruleText, null, null, null, snoozed, exempt, exemptReason);
    }
    if (rule.isEmpty()) {
      why.add("no police rule matches " + r.instanceType() + ": the police leave it alone.");
      return new Police(null, null, null, null, snoozed, exempt, exemptReason);
    }
    List<PlannedItem> plan = planner.plan(List.of(r), now);
    Duration age = r.age(now);
    if (plan.isEmpty()) {
      Instant due = r.startedAt().plus(rule.get().after());
      why.add(ruleText + "; it has run " + ReportBuilder.hours(age) + " hours, so its owner is first reminded at " + due
          + ".");
      return new Police(ruleText, "NOT_YET_LONG_RUNNING", due.toString(), null, snoozed, exempt, exemptReason);
    }
    PlannedItem item = plan.getFirst();
    String stopAt = item.stopAt().map(Instant::toString).orElse(null);
    String next = switch (item.action()) {
      case REMIND, FINAL_NOTICE, STOP -> now.toString();
      case WAIT -> r.tag(PoliceTags.REMINDED_AT).flatMap(Explainer::instant)
          .map(at -> at.plus(policy.reminderInterval()).toString()).orElse(null);
      case EXEMPT, SNOOZED -> null;
    };
    why.add(ruleText + "; it has run " + ReportBuilder.hours(age) + " hours: " + switch (item.action()) {
      case REMIND -> "its owner is reminded at the next police run";
      case FINAL_NOTICE -> "its owner gets the final notice at the next police run";
      case STOP -> "the next police run stops it";
      case WAIT -> "last reminded at " + r.tag(PoliceTags.REMINDED_AT).orElse("?") + ", next reminder at " + next;
      case EXEMPT -> "it is exempt";
      case SNOOZED -> "it is snoozed";
    } + (stopAt == null ? "" : "; the police stop it at " + stopAt + " (enforcement)") + ".");
    if (item.action() != PoliceAction.EXEMPT && item.action() != PoliceAction.SNOOZED && stopAt == null) {
      why.add("enforcement is off for it: the police remind, never stop.");
    }
    return new Police(ruleText, item.action().name(), next, stopAt, snoozed, exempt, exemptReason);
  }

  /** Which rule stopped a host, read from the reason it carries. */
  static String stopRule(String reason) {
    if (reason.contains("IdleStopMinutes")) {
      return "IdleStopMinutes (the cleanup's idle rule)";
    }
    if (reason.contains("time to live ended")) {
      return "expiry (ExpiredHostAction, the host's time to live)";
    }
    if (reason.contains("police")) {
      return "PolicePolicy enforcement (the police)";
    }
    if (reason.contains("start never reported") || reason.contains("the start failed")) {
      return "StartHost (a start that did not report ready)";
    }
    if (reason.startsWith("stopped by ")) {
      return "stopped on request (" + reason.substring("stopped by ".length()).split(" at ")[0] + ")";
    }
    return "unknown (" + reason + ")";
  }

  private static String describe(StudioApps.App app) {
    return app.appType() + " app " + app.appName() + " of " + (app.space() != null ? "space " + app.space()
        : "user " + app.userProfile()) + " in " + app.domainId();
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}

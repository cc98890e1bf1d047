package io.studiocp.admin;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.identity.Actor;
import io.studiocp.platform.Rejection;
import io.studiocp.police.PoliceTags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The police's marks an admin sets: snooze (left alone until a time), exempt (never reminded or
 * stopped, with the reason kept beside it) and unexempt. On a host through the fleet, on an app or
 * a space through its tags; a space's marks count for the apps in it.
 */
public final class AdminMarks {

  /** The furthest a snooze may reach. */
  public static final Duration MAX_SNOOZE = Duration.ofDays(5 * 365);

  private final HostFleet fleet;
  private final AdminHosts hosts;
  private final StudioApps studio;
  private final List<String> domainIds;
  private final Clock clock;

  public AdminMarks(HostFleet fleet, AdminHosts hosts, StudioApps studio, List<String> domainIds, Clock clock) {
    this.fleet = fleet;
    this.hosts = hosts;
    this.studio = studio;
    this.domainIds = List.copyOf(domainIds);
    this.clock = clock;
  }

  public Change snooze(Actor admin, Target target, Instant until, String reason, boolean dryRun) {
    Instant now = clock.instant();
    if (!until.isAfter(now)) {
      throw Rejection.invalid("until", "must be in the future (it is " + now + "), got " + until);
    }
    if (until.isAfter(now.plus(MAX_SNOOZE))) {
      throw Rejection.invalid("until", "may be at most five years ahead (before " + now.plus(MAX_SNOOZE) + "); for "
          + "longer, exempt the resource with a reason");
    }
    Map<String, String> marks = new LinkedHashMap<>();
    marks.put(PoliceTags.SNOOZE_UNTIL, until.toString());
    marks.put(PoliceMarks.SNOOZE_REASON, reason == null ? "snoozed by an admin" : reason);
    return mark("snooze", admin, target, marks, dryRun, "left alone by the police until " + until);
  }

  public Change exempt(Actor admin, Target target, String reason, boolean dryRun) {
    Map<String, String> marks = new LinkedHashMap<>();
    marks.put(PoliceTags.EXEMPT, "true");
    marks.put(PoliceMarks.EXEMPT_REASON, reason);
    return mark("exempt", admin, target, marks, dryRun, "exempt: never reminded or stopped by the police");
  }

  /** Ends an exemption: {@code studiocp:exempt} becomes "false" (the police's own "not exempt"), with why. */
  public Change unexempt(Actor admin, Target target, String reason, boolean dryRun) {
    Map<String, String> marks = new LinkedHashMap<>();
    marks.put(PoliceTags.EXEMPT, "false");
    marks.put(PoliceMarks.EXEMPT_REASON, reason == null ? "exemption ended by an admin" : reason);
    return mark("unexempt", admin, target, marks, dryRun, "policed again from the next run");
  }

  private Change mark(String action, Actor admin, Target target, Map<String, String> marks, boolean dryRun,
      String outcome) {
    String line = "tag " + new TreeMap<>(marks);
    switch (target) {
      case Target.Host h -> {
        hosts.find(admin, h.hostId());
        List<HostInstance> live = fleet.liveInstancesOf(new HostId(h.hostId()));
        if (live.isEmpty()) {
          throw Rejection.conflict("WrongState", "host " + h.hostId() + " has no instance left to mark; it is gone");
        }
        if (!dryRun) {
          fleet.setMarks(live, marks);
        }
        return new Change(action, target.describe(), dryRun, before(live.getFirst().tags()),
            List.of(line.replace("tag ", "tag " + live.getFirst().instanceId() + " ")), prefix(dryRun) + outcome);
      }
      case Target.App a -> {
        Domains.requireManaged(a.domainId(), domainIds);
        StudioApps.App app = studio.app(a).orElseThrow(() -> Rejection.notFound("no " + a.describe()));
        if (!app.running()) {
          throw Rejection.conflict("WrongState", a.describe() + " is " + app.status() + "; only a running app "
              + "can be marked (mark its space to cover the apps it will run)");
        }
        return tagArn(action, target, app.arn(), marks, dryRun, line, outcome);
      }
      case Target.Space s -> {
        Domains.requireManaged(s.domainId(), domainIds);
        StudioApps.Space space = studio.space(s.domainId(), s.spaceName())
            .orElseThrow(() -> Rejection.notFound("no " + s.describe()));
        return tagArn(action, target, space.arn(), marks, dryRun, line, outcome + " (with every app of the space)");
      }
    }
  }

  private Change tagArn(String action, Target target, String arn, Map<String, String> marks, boolean dryRun,
      String line, String outcome) {
    String before = before(studio.tags(arn));
    if (!dryRun) {
      studio.tag(List.of(arn), marks);
    }
    return new Change(action, target.describe(), dryRun, before, List.of(line.replace("tag ", "tag " + arn + " ")),
        prefix(dryRun) + outcome);
  }

  private static String before(Map<String, String> tags) {
    Map<String, String> marks = PoliceMarks.of(tags);
    return marks.isEmpty() ? "no police marks" : marks.toString();
  }

  private static String prefix(boolean dryRun) {
    return dryRun ? "would be " : "";
  }
}

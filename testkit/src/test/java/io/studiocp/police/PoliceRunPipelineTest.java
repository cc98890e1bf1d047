package io.studiocp.police;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.pricing.PriceList;
import io.studiocp.studio.StudioUser;
import io.studiocp.testkit.fakes.InMemoryFleet;
import io.studiocp.testkit.fakes.InMemoryMailer;
import io.studiocp.testkit.fakes.InMemoryPoliceActions;
import io.studiocp.testkit.fakes.InMemoryStudioDirectory;
import io.studiocp.testkit.fakes.InMemoryStudioInventory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How a large run overlaps its steps without more calls: the owners' profile tags read a hundred at
 * a time while the sweep still reads, each owner once and only those who will be told; the marks
 * written a call's worth at a time as the mail is delivered, and only for what was delivered.
 */
class PoliceRunPipelineTest {

  private static final String DOMAIN = "d-abc";
  private static final String ADMINS = "admins@example.com";

  private final InMemoryFleet hosts = new InMemoryFleet(Instant.parse("2026-03-01T10:00:00Z"));
  private final InMemoryMailer mailer = new InMemoryMailer();
  private final InMemoryPoliceActions actions = new InMemoryPoliceActions();
  private final InMemoryStudioInventory studio = new InMemoryStudioInventory().taggedInBatchesOf(30);

  private PoliceRun police() {
    return new PoliceRun(studio, hosts.fleet, new OwnerEmails("studiocp:email", Optional.empty(), List.of(ADMINS),
        new InMemoryStudioDirectory()), new MailRoom(mailer), actions, PolicePolicy.parse(""), PriceList.shipped(),
        List.of(DOMAIN), List.of(ADMINS), hosts.clock);
  }

  private StudioUser user(int i) {
    StudioUser user = new StudioUser(DOMAIN, "user" + i);
    studio.profileTags(user, Map.of("studiocp:email", "user" + i + "@example.com"));
    return user;
  }

  private static PolicedResource app(StudioUser owner, String name, double ageHours, Map<String, String> tags,
      Instant now) {
    return new PolicedResource(ResourceKind.APP, "arn:aws:sagemaker:us-east-1:123456789012:app/" + DOMAIN + "/"
        + owner.userProfileName() + "/kernelgateway/" + name, name + " (KernelGateway)", DOMAIN, Optional.of(owner),
        "ml.m5.large", now.minusSeconds(Math.round(ageHours * 3600)), tags,
        PolicedResource.Location.app(owner.userProfileName(), null, "KernelGateway", name));
  }

  @Test
  void ownersAreLookedUpAHundredAtATimeOnlyWhenToldAndOnce() {
    Instant now = hosts.clock.instant();
    List<StudioUser> told = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      StudioUser owner = user(i);
      told.add(owner);
      // Two long-running apps each: an owner is read once however many of their apps the sweep finds.
      studio.app(app(owner, "kg-a-" + i, 30, Map.of(), now)).app(app(owner, "kg-b-" + i, 40, Map.of(), now));
    }
    StudioUser exempt = user(900);
    studio.app(app(exempt, "kg-exempt", 50, Map.of(PoliceTags.EXEMPT, "true"), now));
    StudioUser young = user(901);
    studio.app(app(young, "kg-young", 2, Map.of(), now));
    StudioUser waiting = user(902);
    studio.app(app(waiting, "kg-waiting", 50, Map.of(PoliceTags.REMINDED_AT, now.minus(Duration.ofHours(1)).toString(),
        PoliceTags.FIRST_REMINDED_AT, now.minus(Duration.ofHours(1)).toString()), now));

    RunReport report = police().run(false);

    assertEquals(500, report.actions().get("REMIND"));
    List<List<StudioUser>> reads = studio.profileReads();
    assertEquals(List.of(100, 100, 50), reads.stream().map(List::size).sorted(java.util.Comparator.reverseOrder())
        .toList(), "250 owners told, a hundred a read: " + reads.stream().map(List::size).toList());
    List<StudioUser> read = reads.stream().flatMap(List::stream).toList();
    assertEquals(new HashSet<>(told), new HashSet<>(read), "exactly the owners told");
    assertEquals(read.size(), new HashSet<>(read).size(), "each once");
    for (int i = 0; i < 250; i++) {
      assertEquals(1, mailer.sentTo("user" + i + "@example.com").size(), "user" + i + " gets one digest");
    }
    assertTrue(mailer.sentTo("user900@example.com").isEmpty() && mailer.sentTo("user902@example.com").isEmpty(),
        "the exempt and the recently reminded owner are not told");
  }

  @Test
  void marksGoOutAFullCallAtATimeAndOnlyForWhatWasDelivered() {
    Instant now = hosts.clock.instant();
    List<PolicedResource> apps = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      PolicedResource r = app(user(i), "kg-" + i, 30, Map.of(), now);
      apps.add(r);
      studio.app(r);
    }
    // Reminded before (a day ago, the interval): told again, marked with other tags, in another call.
    PolicedResource again = app(user(99), "kg-again", 80, Map.of(
        PoliceTags.FIRST_REMINDED_AT, now.minus(Duration.ofDays(2)).toString(),
        PoliceTags.REMINDED_AT, now.minus(Duration.ofDays(1)).toString()), now);
    studio.app(again);
    for (int i : List.of(3, 17, 31)) {
      mailer.refuse("user" + i + "@example.com");
    }

    RunReport report = police().run(false);

    assertEquals(3, report.deliveries().stream().filter(d -> d.outcome() == Delivery.Outcome.REJECTED).count());
    String at = now.toString();
    for (int i = 0; i < 45; i++) {
      Map<String, String> marks = actions.marksOf(apps.get(i).id());
      if (List.of(3, 17, 31).contains(i)) {
        assertEquals(Map.of(), marks, "undelivered: user" + i + " is reminded again next run");
      } else {
        assertEquals(Map.of(PoliceTags.REMINDED_AT, at, PoliceTags.FIRST_REMINDED_AT, at), marks, "user" + i);
      }
    }
    assertEquals(Map.of(PoliceTags.REMINDED_AT, at), actions.marksOf(again.id()), "its first reminder stays");
    List<Integer> calls = actions.markCalls();
    assertEquals(List.of(20, 20, 2, 1), calls.stream().sorted(java.util.Comparator.reverseOrder()).toList(),
        "42 first reminders twenty a call, the one repeated reminder apart: as few calls as marking at the end");
  }
}

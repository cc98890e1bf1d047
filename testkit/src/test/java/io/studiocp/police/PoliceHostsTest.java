package io.studiocp.police;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostState;
import io.studiocp.hosts.HostTags;
import io.studiocp.pricing.PriceList;
import io.studiocp.studio.StudioUser;
import io.studiocp.testkit.fakes.InMemoryFleet;
import io.studiocp.testkit.fakes.InMemoryMailer;
import io.studiocp.testkit.fakes.InMemoryPoliceActions;
import io.studiocp.testkit.fakes.InMemoryStudioDirectory;
import io.studiocp.testkit.fakes.InMemoryStudioInventory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The police's host side over hosts in memory: what they read, tell, mark and stop, all through the fleet. */
class PoliceHostsTest {

  private static final StudioUser ALICE = new StudioUser("d-abc", "alice");
  private static final StudioUser BOB = new StudioUser("d-abc", "bob");
  private static final String ADMINS = "admins@example.com";

  private final InMemoryFleet hosts = new InMemoryFleet(Instant.parse("2026-03-01T10:00:00Z"));
  private final InMemoryMailer mailer = new InMemoryMailer();
  private final InMemoryStudioInventory studio = new InMemoryStudioInventory()
      .profileTags(ALICE, Map.of("studiocp:email", "alice@example.com"))
      .profileTags(BOB, Map.of("studiocp:email", "bob@example.com"));

  private PoliceRun police(String policy) {
    return new PoliceRun(studio, hosts.fleet, new OwnerEmails("studiocp:email", Optional.empty(), List.of(ADMINS),
        new InMemoryStudioDirectory()), new MailRoom(mailer), new InMemoryPoliceActions(), PolicePolicy.parse(policy),
        PriceList.shipped(), List.of("d-abc"), List.of(ADMINS), hosts.clock);
  }

  private String host(StudioUser owner, String key, String ec2State, HostState state) {
    return hosts.instance(HostId.derive(owner, key), owner, ec2State, state);
  }

  @Test
  void longRunningReadyHostsAreToldAndMarkedInOneCall() {
    String alices = host(ALICE, "1", "running", HostState.READY);
    String bobs = host(BOB, "2", "running", HostState.READY);
    hosts.clock.advance(Duration.ofHours(30));

    RunReport report = police("").run(false);

    assertEquals(2, report.actions().get("REMIND"));
    assertEquals(1, mailer.sentTo("alice@example.com").size());
    assertTrue(mailer.sentTo("alice@example.com").getFirst().text().contains("sdocker terminate-host "
        + HostId.derive(ALICE, "1")));
    assertEquals(1, mailer.sentTo("bob@example.com").size());
    String now = hosts.clock.instant().toString();
    assertEquals(now, hosts.ec2.tagsOf(alices).get(PoliceTags.REMINDED_AT));
    assertEquals(now, hosts.ec2.tagsOf(bobs).get(PoliceTags.FIRST_REMINDED_AT));
    assertEquals(1, hosts.ec2.count("CreateTags"), "both hosts marked in one call");
    assertEquals("running", hosts.ec2.stateOf(alices), "no enforcement, nothing stopped");
  }

  @Test
  void manyOwnersToldSideBySideEachGetTheirOneReminder() {
    int owners = 64;
    for (int i = 0; i < owners; i++) {
      StudioUser user = new StudioUser("d-abc", "user" + i);
      studio.profileTags(user, Map.of("studiocp:email", "user" + i + "@example.com"));
      host(user, "k" + i, "running", HostState.READY);
    }
    hosts.clock.advance(Duration.ofHours(30));

    RunReport report = police("").run(false);

    assertEquals(owners, report.actions().get("REMIND"));
    for (int i = 0; i < owners; i++) {
      assertEquals(1, mailer.sentTo("user" + i + "@example.com").size(), "user" + i + " told once");
    }
    assertEquals(owners + 1, mailer.sent().size(), "one mail per owner and the admins' digest");
  }

  @Test
  void onlyReadyRunningHostsOfThePolicedDomainsArePoliced() {
    host(ALICE, "provisioning", "running", HostState.PROVISIONING);
    host(ALICE, "stopped", "stopped", HostState.STOPPED);
    host(new StudioUser("d-elsewhere", "carol"), "other", "running", HostState.READY);
    hosts.clock.advance(Duration.ofHours(30));

    RunReport report = police("").run(false);

    assertEquals(0, report.longRunning());
    assertEquals(List.of(), mailer.sent());
    assertEquals(List.of(), hosts.ec2.calls());
  }

  @Test
  void enforcementStopsAHostAfterTheFinalNotice() {
    String due = dueHost();

    RunReport report = police(enforcing("stop")).run(false);

    assertEquals(1, report.actions().get("STOP"));
    assertEquals("stopped", hosts.ec2.stateOf(due));
    assertEquals("STOPPED", hosts.ec2.tagsOf(due).get(HostTags.STATE), "the fleet marks a stop at once");
    assertTrue(hosts.ec2.tagsOf(due).get(HostTags.STOP_REASON).contains("police"), "with why");
    assertEquals(hosts.clock.instant().toString(), hosts.ec2.tagsOf(due).get(PoliceTags.STOPPED_AT));
  }

  @Test
  void enforcementMayTerminateAHostInstead() {
    String due = dueHost();

    police(enforcing("terminate")).run(false);

    assertEquals("terminated", hosts.ec2.stateOf(due));
    assertEquals("TERMINATING", hosts.ec2.tagsOf(due).get(HostTags.STATE));
  }

  @Test
  void aDryRunTouchesNoHost() {
    dueHost();

    RunReport report = police(enforcing("terminate")).run(true);

    assertEquals(1, report.actions().get("STOP"));
    assertEquals(List.of(), hosts.ec2.calls());
    assertEquals(List.of(), mailer.sent());
  }

  private static String enforcing(String hostAction) {
    return "{\"enforcement\": {\"enabled\": true, \"hosts\": \"" + hostAction + "\"}, \"graceHours\": 1, "
        + "\"reminderIntervalHours\": 1}";
  }

  /**
   * A ready host running for 30 hours, reminded and given the final notice a day ago, as earlier
   * runs would have marked it: due to be stopped when enforcing.
   */
  private String dueHost() {
    String instanceId = host(ALICE, "due", "running", HostState.READY);
    hosts.clock.advance(Duration.ofHours(30));
    String dayAgo = hosts.clock.instant().minus(Duration.ofDays(1)).toString();
    hosts.fleet.setMarks(List.of(hosts.fleet.instance(instanceId).orElseThrow()), Map.of(
        PoliceTags.FIRST_REMINDED_AT, dayAgo, PoliceTags.REMINDED_AT, dayAgo, PoliceTags.FINAL_NOTICE_AT, dayAgo));
    hosts.ec2.forgetCalls();
    return instanceId;
  }
}

package io.studiocp.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostState;
import io.studiocp.hosts.HostTags;
import io.studiocp.police.Delivery;
import io.studiocp.police.MailRoom;
import io.studiocp.police.OwnerEmails;
import io.studiocp.police.SendQuota;
import io.studiocp.studio.StudioUser;
import io.studiocp.testkit.fakes.InMemoryFleet;
import io.studiocp.testkit.fakes.InMemoryMailer;
import io.studiocp.testkit.fakes.InMemoryStudioDirectory;
import io.studiocp.testkit.fakes.InMemoryStudioInventory;
import io.studiocp.testkit.fakes.NoManagedGroups;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An expiry warning SES's quota kept back is not marked as given: the next run warns again; the
 * warnings of every delivered note are marked in one call.
 */
class CleanupMailQuotaTest {

  private final InMemoryFleet world = new InMemoryFleet(Instant.parse("2026-12-07T09:00:00Z"));
  private final InMemoryMailer mailer = new InMemoryMailer();
  private final MailRoom room = new MailRoom(mailer, Duration.ofMinutes(2), System::nanoTime, d -> { });

  private CleanupRun cleanup() {
    return new CleanupRun(world.fleet, world.workflow, new NoManagedGroups(), new InMemoryStudioInventory(),
        new OwnerEmails("studiocp:email", Optional.of("{profile}@example.com"), List.of("admins@example.com"),
            new InMemoryStudioDirectory()),
        room, new CleanupSettings(Duration.ofMinutes(60), CleanupSettings.ExpiredAction.STOP, Duration.ofMinutes(120),
            Duration.ofMinutes(30), Duration.ofSeconds(900)),
        List.of("admins@example.com"), world.clock);
  }

  @Test
  void aWarningThatCouldNotBeSentIsGivenByTheNextRun() {
    String instance = world.instance(new HostId("h-00000000000000a1"), new StudioUser("d-abc", "alice"), "running",
        HostState.READY);
    world.clock.advance(Duration.ofHours(11).plusMinutes(30));
    world.ec2.tag(List.of(instance), Map.of(HostTags.LAST_ACTIVE, world.clock.instant().minusSeconds(60) + " container"));
    mailer.quota(SendQuota.of(1, 200, 199));

    CleanupReport first = cleanup().run(false);

    assertTrue(first.actions().stream().anyMatch(a -> a.kind() == CleanupAction.Kind.WARN_EXPIRY), first.toString());
    assertEquals(Delivery.Outcome.DEFERRED, first.mail().getFirst().outcome(), "the day's last message is the admins'");
    assertTrue(mailer.sentTo("alice@example.com").isEmpty());
    assertNull(world.ec2.tagsOf(instance).get(CleanupPlanner.EXPIRY_WARNED), "not warned, so not marked");

    mailer.quota(SendQuota.of(1, 200, 0));
    CleanupReport second = cleanup().run(false);

    assertEquals(Delivery.Outcome.SENT, second.mail().getFirst().outcome(), second.toString());
    assertEquals(1, mailer.sentTo("alice@example.com").size());
    assertEquals(world.clock.instant().toString(), world.ec2.tagsOf(instance).get(CleanupPlanner.EXPIRY_WARNED));
  }

  @Test
  void theWarningsOfEveryDeliveredNoteAreMarkedInOneCall() {
    List<String> owners = List.of("alice", "bob", "carol", "dave");
    List<String> instances = owners.stream().map(user -> world.instance(HostId.derive(new StudioUser("d-abc", user), "one"),
        new StudioUser("d-abc", user), "running", HostState.READY)).toList();
    world.clock.advance(Duration.ofHours(11).plusMinutes(30));
    world.ec2.tag(instances, Map.of(HostTags.LAST_ACTIVE, world.clock.instant().minusSeconds(60) + " container"));
    // Room for the admins' digest and three notes of four: one owner's note waits for the next run.
    mailer.quota(SendQuota.of(1, 200, 196));
    long tagCallsBefore = world.ec2.count("CreateTags");

    CleanupReport report = cleanup().run(false);

    assertEquals(4, report.actions().stream().filter(a -> a.kind() == CleanupAction.Kind.WARN_EXPIRY).count(),
        report.toString());
    List<String> marked = instances.stream()
        .filter(i -> world.ec2.tagsOf(i).get(CleanupPlanner.EXPIRY_WARNED) != null).toList();
    assertEquals(3, marked.size(), "the three delivered notes' hosts, not the deferred one's");
    assertEquals(1, world.ec2.count("CreateTags") - tagCallsBefore, "one call for the three");
  }
}

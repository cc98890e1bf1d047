package io.studiocp.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.cleanup.CleanupAction.Kind;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cleanup's decisions, from one sweep, without AWS. */
class CleanupPlannerTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final CleanupSettings SETTINGS = new CleanupSettings(Duration.ofMinutes(60),
      CleanupSettings.ExpiredAction.STOP, Duration.ofMinutes(120), Duration.ofMinutes(30), Duration.ofSeconds(900));

  private static HostInstance host(String id, String ec2State, String state, Instant expires, Instant readyAt,
      Map<String, String> more) {
    Map<String, String> tags = new HashMap<>(Map.of("studiocp:managed", "true", "studiocp:host-id", id,
        "studiocp:owner", "d-abc123/alice", "studiocp:state", state, "studiocp:expires-at", expires.toString(),
        "studiocp:ready-at", readyAt.toString()));
    tags.putAll(more);
    return new HostInstance("i-" + id.substring(2), ec2State, "m5.large", "subnet-1", "ip-10-0-0-1", "10.0.0.1",
        readyAt.minusSeconds(60), tags);
  }

  private static List<CleanupAction> plan(HostInstance... hosts) {
    return new CleanupPlanner(SETTINGS).plan(List.of(hosts), List.of(), Set.of(), List.of(), NOW);
  }

  @Test
  void anExpiredReadyHostIsStoppedAndAStoppedOneIsLeftAlone() {
    List<CleanupAction> actions = plan(
        host("h-000000000000000a", "running", "READY", NOW.minusSeconds(60), NOW.minusSeconds(7200), Map.of()),
        host("h-000000000000000b", "stopped", "STOPPED", NOW.minusSeconds(60), NOW.minusSeconds(7200), Map.of()));
    assertEquals(1, actions.size(), actions.toString());
    assertEquals(Kind.STOP_EXPIRED, actions.getFirst().kind());
    assertEquals("h-000000000000000a", actions.getFirst().hostId());
  }

  @Test
  void aHostIsWarnedOnceBeforeItsExpiryAndAgainAfterAnExtension() {
    Instant expires = NOW.plus(Duration.ofMinutes(30));
    HostInstance fresh = host("h-000000000000000a", "running", "READY", expires, NOW.minusSeconds(600),
        Map.of("studiocp:last-active", NOW.minusSeconds(60) + " 1 running container(s)"));
    assertEquals(Kind.WARN_EXPIRY, plan(fresh).getFirst().kind());
    HostInstance warned = host("h-000000000000000a", "running", "READY", expires, NOW.minusSeconds(600),
        Map.of(CleanupPlanner.EXPIRY_WARNED, NOW.minusSeconds(300).toString(),
            "studiocp:last-active", NOW.minusSeconds(60) + " 1 running container(s)"));
    assertTrue(plan(warned).isEmpty(), "one warning per expiry");
    HostInstance extendedThenNear = host("h-000000000000000a", "running", "READY", NOW.plus(Duration.ofMinutes(20)),
        NOW.minusSeconds(600), Map.of(CleanupPlanner.EXPIRY_WARNED, NOW.minus(Duration.ofHours(5)).toString(),
            "studiocp:last-active", NOW.minusSeconds(60) + " 1 running container(s)"));
    assertEquals(Kind.WARN_EXPIRY, plan(extendedThenNear).getFirst().kind(), "a warning of an older expiry");
  }

  @Test
  void anIdleHostIsStoppedWithItsLastActivityAndABusyOrFreshOneIsNot() {
    Instant expires = NOW.plus(Duration.ofHours(10));
    HostInstance idle = host("h-000000000000000a", "running", "READY", expires, NOW.minus(Duration.ofHours(5)),
        Map.of("studiocp:last-active", NOW.minus(Duration.ofHours(3)) + " docker build"));
    HostInstance busy = host("h-000000000000000b", "running", "READY", expires, NOW.minus(Duration.ofHours(5)),
        Map.of("studiocp:last-active", NOW.minus(Duration.ofMinutes(5)) + " 1 running container(s)"));
    HostInstance fresh = host("h-000000000000000c", "running", "READY", expires, NOW.minus(Duration.ofMinutes(10)),
        Map.of());
    List<CleanupAction> actions = plan(idle, busy, fresh);
    assertEquals(1, actions.size(), actions.toString());
    assertEquals(Kind.STOP_IDLE, actions.getFirst().kind());
    assertTrue(actions.getFirst().detail().contains("docker build"), actions.getFirst().detail());
  }

  @Test
  void anOrphanedProvisioningHostAndAnUnusedGroupAreRemovedButNotWhileTheirWorkflowRuns() {
    HostInstance orphan = host("h-000000000000000a", "running", "PROVISIONING", NOW.plus(Duration.ofHours(10)),
        NOW.minus(Duration.ofHours(1)), Map.of());
    CleanupPlanner.ManagedGroup unused = new CleanupPlanner.ManagedGroup("sg-1", "host-extra-ports",
        Optional.of(new HostId("h-000000000000000a")), false);
    List<CleanupAction> gone = new CleanupPlanner(SETTINGS).plan(List.of(orphan), List.of(), Set.of(), List.of(unused),
        NOW);
    assertEquals(List.of(Kind.TERMINATE_ORPHAN, Kind.DELETE_SECURITY_GROUP),
        gone.stream().map(CleanupAction::kind).toList());
    List<CleanupAction> running = new CleanupPlanner(SETTINGS).plan(List.of(orphan), List.of(),
        Set.of(new HostId("h-000000000000000a")), List.of(unused), NOW);
    assertTrue(running.isEmpty(), running.toString());
  }

  @Test
  void aHostSlotStaysWhileItsHostLivesAndGoesAfter() {
    HostInstance ready = host("h-000000000000000b", "running", "READY", NOW.plus(Duration.ofHours(10)),
        NOW.minus(Duration.ofMinutes(5)), Map.of("studiocp:last-active", NOW.toString() + " container"));
    CleanupPlanner.ManagedGroup slot = new CleanupPlanner.ManagedGroup("sg-2", CleanupPlanner.SLOT_ROLE,
        Optional.of(new HostId("h-000000000000000b")), false);
    List<CleanupAction> kept = new CleanupPlanner(SETTINGS).plan(List.of(ready), List.of(), Set.of(), List.of(slot), NOW);
    assertTrue(kept.stream().noneMatch(a -> a.kind() == Kind.DELETE_SECURITY_GROUP), "on no instance, yet its host lives: "
        + kept);
    List<CleanupAction> gone = new CleanupPlanner(SETTINGS).plan(List.of(), List.of(), Set.of(), List.of(slot), NOW);
    assertEquals(List.of(Kind.DELETE_SECURITY_GROUP), gone.stream().map(CleanupAction::kind).toList());
  }
}

package io.studiocp.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.cleanup.CleanupAction.Kind;
import io.studiocp.ssh.SshActivation;
import io.studiocp.ssh.SshNode;
import io.studiocp.ssh.SshTarget;
import io.studiocp.studio.StudioUser;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cleanup's SSH decisions, from one sweep, without AWS. */
class SshCleanupPlannerTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final StudioUser ALICE = new StudioUser("d-abc123", "alice");
  private static final CleanupPlanner PLANNER = new CleanupPlanner(new CleanupSettings(Duration.ofMinutes(60),
      CleanupSettings.ExpiredAction.STOP, Duration.ofMinutes(120), Duration.ofMinutes(30), Duration.ofSeconds(900),
      Duration.ofMinutes(120)));
  private static final String RUNNING = SshSweep.key(ALICE, SshTarget.space("alice-project"));

  private static Map<String, String> tags(String target) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("studiocp:managed", "true");
    tags.put("studiocp:owner", ALICE.owner());
    tags.put("studiocp:ssh-target", target);
    tags.put("studiocp:ssh-requested-at", NOW.minus(Duration.ofHours(5)).toString());
    return tags;
  }

  private static SshNode node(String id, String activation, String ping, Instant lastPing, Map<String, String> tags) {
    return new SshNode(id, activation, "alice-space-alice-project", "default-1a2b", "169.255.0.2", ping, lastPing,
        NOW.minus(Duration.ofHours(5)), tags);
  }

  private static SshActivation activation(String id, Instant expires, int registrations, Map<String, String> tags) {
    return new SshActivation(id, expires.minus(Duration.ofMinutes(30)), expires, 1, registrations, tags);
  }

  private static List<CleanupAction> plan(List<SshNode> nodes, List<SshActivation> activations, boolean studioRead) {
    return PLANNER.planSsh(new SshSweep(nodes, activations, Set.of(RUNNING), studioRead), NOW);
  }

  @Test
  void aLiveNodeOfARunningSpaceIsKept() {
    assertEquals(List.of(), plan(List.of(node("mi-00000000000000001", "a1", "Online", NOW,
        tags("space/alice-project"))), List.of(), true));
  }

  @Test
  void aNodeWhoseSpaceOrAppNoLongerRunsIsDeregisteredButOnlyWhenStudioWasRead() {
    SshNode gone = node("mi-00000000000000002", "a2", "Online", NOW, tags("space/deleted-space"));
    List<CleanupAction> actions = plan(List.of(gone), List.of(), true);
    assertEquals(1, actions.size(), actions.toString());
    assertEquals(Kind.DEREGISTER_SSH_NODE, actions.getFirst().kind());
    assertEquals("mi-00000000000000002", actions.getFirst().resourceId());
    assertEquals(ALICE, actions.getFirst().owner());
    assertEquals("its app or space no longer runs", actions.getFirst().reason());
    assertEquals(List.of(), plan(List.of(gone), List.of(), false), "Studio unread: nothing is known to be gone");
    SshNode app = node("mi-00000000000000003", "a3", "Online", NOW, tags("app/gpu-kernel"));
    assertEquals(Kind.DEREGISTER_SSH_NODE, plan(List.of(app), List.of(), true).getFirst().kind(),
        "a profile's app is named as app/<name>, which does not run here");
  }

  @Test
  void aNodeOfflinePastTheLimitIsDeregisteredEvenIfItsSpaceRuns() {
    SshNode lost = node("mi-00000000000000004", "a4", "ConnectionLost", NOW.minus(Duration.ofMinutes(121)),
        tags("space/alice-project"));
    List<CleanupAction> actions = plan(List.of(lost), List.of(), true);
    assertEquals(Kind.DEREGISTER_SSH_NODE, actions.getFirst().kind());
    assertTrue(actions.getFirst().reason().contains("SshOfflineMinutes"), actions.getFirst().reason());
    SshNode brief = node("mi-00000000000000005", "a5", "ConnectionLost", NOW.minus(Duration.ofMinutes(119)),
        tags("space/alice-project"));
    assertEquals(List.of(), plan(List.of(brief), List.of(), true), "under the limit: a restart, not gone");
  }

  @Test
  void anUntaggedNodeIsTaggedAsItsActivationAndItsActivationDeletedOnlyOnceItIsTagged() {
    Map<String, String> activationTags = tags("space/alice-project");
    SshActivation used = activation("a6", NOW.minusSeconds(60), 1, activationTags);
    SshNode untagged = node("mi-00000000000000006", "a6", "Online", NOW, Map.of());

    List<CleanupAction> actions = plan(List.of(untagged), List.of(used), true);
    assertEquals(1, actions.size(), "tagged, kept (its space runs), its activation kept for now: " + actions);
    assertEquals(Kind.TAG_SSH_NODE, actions.getFirst().kind());
    assertEquals(activationTags, actions.getFirst().tags());
    assertEquals(ALICE, actions.getFirst().owner());

    SshNode tagged = node("mi-00000000000000006", "a6", "Online", NOW, activationTags);
    List<CleanupAction> next = plan(List.of(tagged), List.of(used), true);
    assertEquals(List.of(Kind.DELETE_SSH_ACTIVATION), next.stream().map(CleanupAction::kind).toList());

    SshNode untaggedGone = node("mi-00000000000000007", "a7", "Online", NOW, Map.of());
    SshActivation other = activation("a7", NOW.plusSeconds(600), 1, tags("space/deleted-space"));
    assertEquals(List.of(Kind.TAG_SSH_NODE, Kind.DEREGISTER_SSH_NODE), plan(List.of(untaggedGone), List.of(other), true)
        .stream().map(CleanupAction::kind).toList(), "tagged from its activation, then judged by those tags");
  }

  @Test
  void expiredUnusedActivationsAreDeletedAndCurrentOnesKept() {
    SshActivation expired = activation("a8", NOW.minusSeconds(1), 0, tags("space/alice-project"));
    SshActivation current = activation("a9", NOW.plusSeconds(600), 0, tags("space/alice-project"));
    List<CleanupAction> actions = plan(List.of(), List.of(expired, current), true);
    assertEquals(1, actions.size(), actions.toString());
    assertEquals(Kind.DELETE_SSH_ACTIVATION, actions.getFirst().kind());
    assertEquals("a8", actions.getFirst().resourceId());
    assertEquals("expired unused", actions.getFirst().reason());
  }

  @Test
  void nodesAndHostsCarryTheSameOwnerKeySoOnePolicyConditionCoversBoth() {
    assertEquals(io.studiocp.hosts.HostTags.OWNER, io.studiocp.ssh.SshTags.OWNER);
    assertEquals(io.studiocp.hosts.HostTags.MANAGED, io.studiocp.ssh.SshTags.MANAGED);
  }

  @Test
  void sshHousekeepingGoesToTheAdminsDigestOnly() {
    for (Kind kind : List.of(Kind.TAG_SSH_NODE, Kind.DEREGISTER_SSH_NODE, Kind.DELETE_SSH_ACTIVATION)) {
      assertFalse(kind.tellsOwner(), kind.name());
    }
    assertTrue(Kind.STOP_IDLE.tellsOwner());
  }
}

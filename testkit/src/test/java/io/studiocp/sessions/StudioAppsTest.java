package io.studiocp.sessions;

import static io.studiocp.sessions.Users.ALICE;
import static io.studiocp.sessions.Users.BOB;
import static io.studiocp.sessions.Users.DOMAIN;
import static io.studiocp.sessions.Users.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.platform.Rejection;
import io.studiocp.pricing.PriceList;
import io.studiocp.testkit.TestClock;
import io.studiocp.testkit.fakes.InMemoryStudioSessions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code GET/DELETE /studio/apps} over Studio in memory: mine with costs, torn down but the default, no one else's. */
class StudioAppsTest {

  private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final InMemoryStudioSessions studio = new InMemoryStudioSessions(clock)
      .app(ALICE, "JupyterServer", "default", "system", Duration.ofHours(50))
      .app(ALICE, "KernelGateway", "gpu-kernel", "ml.g4dn.xlarge", Duration.ofHours(10))
      .app(ALICE, "KernelGateway", "odd-kernel", "ml.zz9.huge", Duration.ofHours(1))
      .app(BOB, "KernelGateway", "bobs-kernel", "ml.t3.medium", Duration.ofHours(5))
      .space(DOMAIN, "alice-lab", false, "alice", "JupyterLab")
      .spaceApp(DOMAIN, "alice-lab", "JupyterLab", "ml.t3.medium", Duration.ofHours(2))
      .space(DOMAIN, "bob-lab", true, "bob", "JupyterLab")
      .spaceApp(DOMAIN, "bob-lab", "JupyterLab", "ml.m5.large", Duration.ofHours(2));
  private final PriceList prices = PriceList.shipped().withHourly(java.util.Map.of("ml.g4dn.xlarge", 0.7364));
  private final StudioApps apps = new StudioApps(studio, prices, List.of(DOMAIN), clock);

  private static List<String> names(List<AppView> views) {
    return views.stream().map(v -> v.app().appName() + v.app().spaceName().map(s -> "@" + s).orElse("")).toList();
  }

  @Test
  void mineAreMyProfilesAndMySpacesAppsWithWhatTheyCostSoFar() {
    List<AppView> mine = apps.mine(as(ALICE));

    assertEquals(List.of("default", "gpu-kernel", "default@alice-lab", "odd-kernel"), names(mine));
    AppView gpu = mine.get(1);
    assertEquals(Duration.ofHours(10), gpu.age());
    assertEquals(7.364, gpu.costUsd().orElseThrow(), 1e-9);
    assertEquals(Optional.of(0.0), mine.get(0).costUsd(), "the JupyterServer on 'system' is free");
    assertEquals(Optional.empty(), mine.get(3).costUsd(), "an unpriced type is unknown, never free");
  }

  @Test
  void downFromStudioClassicDeletesMyRunningAppsButMyJupyterServerAndNoOneElses() {
    StudioApps.TeardownResult result = apps.tearDown(as(ALICE), StudioApps.Teardown.standard());

    assertEquals(List.of("gpu-kernel", "default@alice-lab", "odd-kernel"), names(result.deleted()),
        "a space's app is not a Classic session, though it is named default");
    assertEquals(List.of("default"), names(result.kept()));
    assertEquals(List.of("DeleteApp KernelGateway gpu-kernel in profile alice",
        "DeleteApp JupyterLab default in space alice-lab",
        "DeleteApp KernelGateway odd-kernel in profile alice"), studio.changes);
    assertTrue(studio.allApps().stream().filter(a -> a.appName().equals("bobs-kernel")).allMatch(StudioApp::running));
  }

  @Test
  void downFromASpaceKeepsThatSpacesAppWhichHoldsTheSession() {
    studio.space(DOMAIN, "alice-gpu", false, "alice", "JupyterLab")
        .spaceApp(DOMAIN, "alice-gpu", "JupyterLab", "ml.g5.xlarge", Duration.ofHours(3));

    StudioApps.TeardownResult result = apps.tearDown(as(ALICE),
        new StudioApps.Teardown(false, true, Set.of(), Optional.of("alice-lab")));

    assertEquals(List.of("default", "default@alice-lab"), names(result.kept()));
    assertEquals(List.of("gpu-kernel", "default@alice-gpu", "odd-kernel"), names(result.deleted()));
    assertThrows(Rejection.class, () -> new StudioApps.Teardown(false, true, Set.of(), Optional.of("no spaces allowed")));
  }

  @Test
  void aDryRunDeletesNothingAndKeepingMoreOrLessIsTheCallersChoice() {
    StudioApps.TeardownResult dry = apps.tearDown(as(ALICE), new StudioApps.Teardown(true, false, Set.of("gpu-kernel")));

    assertEquals(List.of("default", "default@alice-lab", "odd-kernel"), names(dry.deleted()));
    assertEquals(List.of("gpu-kernel"), names(dry.kept()));
    assertEquals(List.of(), studio.changes);
  }

  @Test
  void keepingAnAppIDoNotHaveIsRefusedAndNothingIsDeleted() {
    Rejection refused = assertThrows(Rejection.class, () ->
        apps.tearDown(as(ALICE), new StudioApps.Teardown(false, true, Set.of("bobs-kernel"))));

    assertEquals(Rejection.Kind.INVALID, refused.kind());
    assertTrue(refused.getMessage().startsWith("keep: no running app of d-abc/alice is named bobs-kernel"),
        refused.getMessage());
    assertThrows(Rejection.class, () -> apps.tearDown(as(ALICE), new StudioApps.Teardown(false, true, Set.of("a_b"))));
    assertEquals(List.of(), studio.changes);
  }

  @Test
  void aSecondDownFindsNothingMoreToDelete() {
    apps.tearDown(as(ALICE), StudioApps.Teardown.standard());
    studio.finishDeletions();

    StudioApps.TeardownResult again = apps.tearDown(as(ALICE), StudioApps.Teardown.standard());

    assertEquals(List.of(), again.deleted());
    assertEquals(List.of("default"), names(apps.mine(as(ALICE))), "Deleted apps are not listed");
  }

  @Test
  void onlyAdminsSeeEveryonesApps() {
    assertEquals(Rejection.Kind.FORBIDDEN, assertThrows(Rejection.class, () -> apps.all(as(ALICE))).kind());
    assertEquals(6, apps.all(Users.adminWithoutProfile()).size());
  }
}

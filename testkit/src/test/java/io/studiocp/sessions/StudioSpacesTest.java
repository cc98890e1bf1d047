package io.studiocp.sessions;

import static io.studiocp.sessions.Users.ALICE;
import static io.studiocp.sessions.Users.BOB;
import static io.studiocp.sessions.Users.DOMAIN;
import static io.studiocp.sessions.Users.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.platform.Rejection;
import io.studiocp.testkit.TestClock;
import io.studiocp.testkit.fakes.InMemoryStudioSessions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code /studio/spaces} over Studio in memory: mine and the shared ones, made mine, deleted apps first. */
class StudioSpacesTest {

  private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final InMemoryStudioSessions studio = new InMemoryStudioSessions(clock)
      .space(DOMAIN, "team", true, "bob", "JupyterLab")
      .space(DOMAIN, "bob-private", false, "bob", "JupyterLab")
      .space(DOMAIN, "alice-lab", false, "alice", "JupyterLab")
      .spaceApp(DOMAIN, "alice-lab", "JupyterLab", "ml.t3.medium", Duration.ofHours(2));
  private final StudioSpaces spaces = new StudioSpaces(studio, List.of(DOMAIN));

  @Test
  void iSeeMineAndTheSharedOnesNotOtherUsersPrivateOnes() {
    List<StudioSpaces.SpaceView> seen = spaces.list(as(ALICE));

    assertEquals(List.of("alice-lab", "team"), seen.stream().map(v -> v.space().name()).toList());
    assertEquals(List.of(true, false), seen.stream().map(StudioSpaces.SpaceView::mine).toList());
    assertEquals(1, seen.get(0).apps().size());
  }

  @Test
  void aNewSpaceIsMineAndATakenNameIsAConflict() {
    StudioSpaces.SpaceView created = spaces.create(as(ALICE), "shared-work", true, Optional.of("codeeditor"));

    assertTrue(created.mine());
    assertEquals(List.of("CreateSpace shared-work owner=alice shared=true app=CodeEditor"), studio.changes);
    Rejection taken = assertThrows(Rejection.class, () -> spaces.create(as(ALICE), "bob-private", false, Optional.empty()));
    assertEquals(Rejection.Kind.CONFLICT, taken.kind());
    assertEquals(Rejection.Kind.INVALID, assertThrows(Rejection.class,
        () -> spaces.create(as(ALICE), "no spaces", false, Optional.empty())).kind());
    assertEquals(1, studio.changes.size());
  }

  @Test
  void deletingGoesAppsFirstThenTheSpace() {
    StudioSpaces.Deletion first = spaces.delete(as(ALICE), "alice-lab", Optional.empty());
    assertEquals(StudioSpaces.Deletion.Stage.DELETING_APPS, first.stage());
    assertEquals(List.of("DeleteApp JupyterLab default in space alice-lab"), studio.changes);

    StudioSpaces.Deletion meanwhile = spaces.delete(as(ALICE), "alice-lab", Optional.empty());
    assertEquals(StudioSpaces.Deletion.Stage.DELETING_APPS, meanwhile.stage());
    assertEquals(1, studio.changes.size(), "an app already Deleting is not deleted twice");

    studio.finishDeletions();
    StudioSpaces.Deletion last = spaces.delete(as(ALICE), "alice-lab", Optional.empty());
    assertEquals(StudioSpaces.Deletion.Stage.DELETING, last.stage());
    assertEquals("DeleteSpace alice-lab", studio.changes.get(1));
  }

  @Test
  void anotherUsersSpaceIsNotFoundEvenWhenShared() {
    for (String name : List.of("bob-private", "team", "no-such-space")) {
      Rejection refused = assertThrows(Rejection.class, () -> spaces.delete(as(ALICE), name, Optional.empty()));
      assertEquals(Rejection.Kind.NOT_FOUND, refused.kind(), name);
    }
    assertEquals(List.of(), studio.changes);
  }

  @Test
  void anAdminDeletesAnyoneSpaceInTheOnlyDomain() {
    assertEquals(StudioSpaces.Deletion.Stage.DELETING,
        spaces.delete(Users.adminWithoutProfile(), "bob-private", Optional.empty()).stage());
    assertEquals(Rejection.Kind.NOT_FOUND, assertThrows(Rejection.class,
        () -> spaces.delete(Users.adminWithoutProfile(), "team", Optional.of("d-other"))).kind());
    assertEquals(Rejection.Kind.INVALID, assertThrows(Rejection.class,
        () -> spaces.delete(Users.nobody(), "team", Optional.empty())).kind());
    assertEquals(BOB.domainId(), DOMAIN);
  }
}

package io.studiocp.ssh;

import static io.studiocp.testkit.Actors.studioUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.platform.Rejection;
import io.studiocp.sessions.StudioSpace;
import io.studiocp.studio.StudioUser;
import io.studiocp.testkit.fakes.InMemoryStudioSessions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which way a space is reached and who gets a session through SageMaker's remote access, without AWS. */
class SpaceRemoteAccessTest {

  private static final String DOMAIN = "d-abc";
  private static final StudioUser ALICE = new StudioUser(DOMAIN, "alice");
  private static final StudioUser BOB = new StudioUser(DOMAIN, "bob");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);

  private final List<String> started = new ArrayList<>();
  private InMemoryStudioSessions studio;
  private SpaceRemoteAccess access;

  @BeforeEach
  void setUp() {
    studio = new InMemoryStudioSessions(CLOCK);
    space("alice-remote", false, "alice", true);
    space("alice-plain", false, "alice", false);
    space("team", true, "bob", true);
    space("bob-remote", false, "bob", true);
    space("alice-idle", false, "alice", true);
    for (String running : List.of("alice-remote", "alice-plain", "team", "bob-remote")) {
      studio.spaceApp(DOMAIN, running, "CodeEditor", "ml.t3.medium", Duration.ofMinutes(10));
    }
    access = new SpaceRemoteAccess(studio, arn -> {
      started.add(arn);
      return new SpaceSessions.SpaceSession("s-" + started.size(), "wss://stream/" + started.size(), "token");
    }, "eu-west-1");
  }

  private void space(String name, boolean shared, String owner, boolean remoteAccess) {
    studio.space(new StudioSpace(DOMAIN, name, "InService", shared, Optional.of(owner), Optional.of("CodeEditor"),
        CLOCK.instant(), remoteAccess, Optional.of("arn:aws:sagemaker:eu-west-1:123456789012:space/" + DOMAIN + "/"
            + name)));
  }


  @Test
  void theOwnerAndTheDomainsUsersOfASharedSpaceGetASessionOnItsArn() {
    SpaceRemoteAccess.Session mine = access.start(studioUser(ALICE), "alice-remote");
    assertEquals("eu-west-1", mine.region());
    assertEquals("wss://stream/1", mine.session().streamUrl());
    access.start(studioUser(ALICE), "team");
    assertEquals(List.of("arn:aws:sagemaker:eu-west-1:123456789012:space/d-abc/alice-remote",
        "arn:aws:sagemaker:eu-west-1:123456789012:space/d-abc/team"), started);
  }

  @Test
  void anotherUsersPrivateSpaceIsNotFoundAsOneThatDoesNotExist() {
    Rejection bobs = assertThrows(Rejection.class, () -> access.start(studioUser(BOB), "alice-remote"));
    Rejection none = assertThrows(Rejection.class, () -> access.start(studioUser(BOB), "nowhere"));
    assertEquals(Rejection.Kind.NOT_FOUND, bobs.kind());
    assertEquals(none.getMessage().replace("nowhere", "alice-remote"), bobs.getMessage());
    assertThrows(Rejection.class, () -> access.describe(studioUser(BOB), "alice-remote"));
    assertEquals(List.of(), started);
  }

  @Test
  void remoteAccessOffOrNoAppIsAConflictAndTheClientIsToldWhichPath() {
    Rejection off = assertThrows(Rejection.class, () -> access.start(studioUser(ALICE), "alice-plain"));
    assertEquals("RemoteAccessDisabled", off.code());
    assertTrue(off.getMessage().contains("RemoteAccess=ENABLED") && off.getMessage().contains("sdocker ssh register"));
    Rejection idle = assertThrows(Rejection.class, () -> access.start(studioUser(ALICE), "alice-idle"));
    assertEquals("SpaceNotRunning", idle.code());
    assertEquals(List.of(), started);

    assertEquals(SpaceRemoteAccess.Path.NATIVE, access.describe(studioUser(ALICE), "alice-remote").path());
    assertEquals(SpaceRemoteAccess.Path.SSM, access.describe(studioUser(ALICE), "alice-plain").path());
    assertEquals(false, access.describe(studioUser(ALICE), "alice-idle").running());
  }
}

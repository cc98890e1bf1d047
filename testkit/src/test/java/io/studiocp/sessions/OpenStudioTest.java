package io.studiocp.sessions;

import static io.studiocp.sessions.Users.ALICE;
import static io.studiocp.sessions.Users.DOMAIN;
import static io.studiocp.sessions.Users.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** {@code POST /studio/url} over Studio in memory: the URL is the caller's, spaces are made or refused. */
class OpenStudioTest {

  private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final InMemoryStudioSessions studio = new InMemoryStudioSessions(clock)
      .space(DOMAIN, "team", true, "bob", "JupyterLab")
      .space(DOMAIN, "bob-private", false, "bob", "JupyterLab")
      .space(DOMAIN, "alice-code", false, "alice", "CodeEditor");
  private final OpenStudio open = new OpenStudio(studio, clock);

  private static OpenStudio.Request request(String space, String app, Integer session, Integer expiresIn) {
    return new OpenStudio.Request(Optional.ofNullable(space), Optional.ofNullable(app), Optional.ofNullable(session),
        Optional.ofNullable(expiresIn));
  }

  @Test
  void homeWithSageMakersDefaultsForTheCallerOnly() {
    OpenStudio.Session session = open.open(as(ALICE), OpenStudio.Request.home());

    assertEquals(1, studio.urls.size());
    InMemoryStudioSessions.UrlRequest asked = studio.urls.get(0);
    assertEquals(ALICE, asked.user());
    assertEquals(Optional.empty(), asked.space());
    assertEquals(Optional.empty(), asked.landingUri());
    assertEquals(Duration.ofSeconds(43200), asked.session());
    assertEquals(Duration.ofSeconds(300), asked.expiresIn());
    assertEquals(Instant.parse("2026-03-01T10:05:00Z"), session.urlExpiresAt());
    assertFalse(session.spaceCreated());
    assertEquals(List.of(), studio.changes);
  }

  @Test
  void aMissingSpaceIsCreatedPrivateToTheCallerFirst() {
    OpenStudio.Session session = open.open(as(ALICE), request("new-space", "codeeditor", 3600, 60));

    assertEquals(List.of("CreateSpace new-space owner=alice shared=false app=CodeEditor"), studio.changes);
    assertTrue(session.spaceCreated());
    InMemoryStudioSessions.UrlRequest asked = studio.urls.get(0);
    assertEquals(Optional.of("new-space"), asked.space());
    assertEquals(Optional.of("app:CodeEditor:"), asked.landingUri());
    assertEquals(Duration.ofSeconds(3600), asked.session());
    assertEquals(Duration.ofSeconds(60), asked.expiresIn());
  }

  @Test
  void anExistingSpaceOpensInItsOwnApp() {
    open.open(as(ALICE), request("alice-code", null, null, null));
    open.open(as(ALICE), request("team", null, null, null));

    assertEquals(Optional.of("app:CodeEditor:"), studio.urls.get(0).landingUri());
    assertEquals(Optional.of("app:JupyterLab:"), studio.urls.get(1).landingUri());
    assertEquals(List.of(), studio.changes);
  }

  @Test
  void anotherUsersPrivateSpaceIsNotFoundAndNothingHappens() {
    Rejection refused = assertThrows(Rejection.class, () -> open.open(as(ALICE), request("bob-private", null, null, null)));

    assertEquals(Rejection.Kind.NOT_FOUND, refused.kind());
    assertTrue(refused.getMessage().contains("no space bob-private you can open"), refused.getMessage());
    assertEquals(List.of(), studio.urls);
    assertEquals(List.of(), studio.changes);
  }

  @Test
  void badInputsAreRefusedBeforeAnythingHappens() {
    List<OpenStudio.Request> bad = List.of(
        request("Bad_Name", null, null, null),
        request("-leading", null, null, null),
        request("x".repeat(64), null, null, null),
        request(null, "rstudio", null, null),
        request(null, null, 1799, null),
        request(null, null, 43201, null),
        request(null, null, null, 4),
        request(null, null, null, 301),
        request("alice-code", "jupyterlab", null, null));
    for (OpenStudio.Request request : bad) {
      Rejection refused = assertThrows(Rejection.class, () -> open.open(as(ALICE), request), request.toString());
      assertEquals(Rejection.Kind.INVALID, refused.kind(), refused.getMessage());
    }
    assertEquals("sessionExpirationSeconds: must be from 1800 to 43200 seconds (SageMaker's range), got 43201",
        assertThrows(Rejection.class, () -> open.open(as(ALICE), request(null, null, 43201, null))).getMessage());
    assertEquals(List.of(), studio.urls);
    assertEquals(List.of(), studio.changes);
  }

  @Test
  void aCallerWhoIsNoStudioUserIsToldWhatToSend() {
    Rejection refused = assertThrows(Rejection.class, () -> open.open(Users.adminWithoutProfile(), OpenStudio.Request.home()));
    assertEquals("MissingHeader", refused.code());
  }
}

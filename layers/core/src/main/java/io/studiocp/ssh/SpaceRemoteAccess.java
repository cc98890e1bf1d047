package io.studiocp.ssh;

import io.studiocp.identity.Actor;
import io.studiocp.platform.Rejection;
import io.studiocp.sessions.StudioApp;
import io.studiocp.sessions.StudioSessions;
import io.studiocp.sessions.StudioSpace;
import io.studiocp.studio.StudioUser;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET /ssh/spaces/{space}} and {@code POST /ssh/spaces/{space}/session}: which way a user
 * reaches a space over SSH, and a session through SageMaker's own remote access when its settings
 * turn it on ({@code RemoteAccess} ENABLED). A user reaches their own spaces and their domain's
 * shared ones, as Studio opens them; another user's private space is a 404, as one that does not
 * exist. The session is started by the control plane (the caller needs only {@code execute-api:Invoke});
 * its token goes back to the caller alone.
 */
public final class SpaceRemoteAccess {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");

  /** How a space is reached: SageMaker's own remote access, else an SSM registration (sdocker ssh register). */
  public enum Path {
    NATIVE, SSM;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What the client needs to choose a path for a space. */
  public record SpaceAccess(StudioSpace space, boolean running, Path path) {}

  /** A session to a space, with where it runs. */
  public record Session(StudioSpace space, String region, SpaceSessions.SpaceSession session) {}

  private final StudioSessions studio;
  private final SpaceSessions sessions;
  private final String region;

  public SpaceRemoteAccess(StudioSessions studio, SpaceSessions sessions, String region) {
    this.studio = studio;
    this.sessions = sessions;
    this.region = region;
  }

  /** The space as the caller may reach it, and which path {@code sdocker ssh config --space} takes. */
  public SpaceAccess describe(Actor actor, String spaceName) {
    StudioUser user = user(actor);
    StudioSpace space = visibleSpace(user, spaceName);
    return new SpaceAccess(space, running(user, space), space.remoteAccess() ? Path.NATIVE : Path.SSM);
  }

  /**
   * Starts a session through SageMaker's remote access to a running space the caller may open.
   *
   * @throws Rejection 409 RemoteAccessDisabled, saying how to turn it on or use the SSM path instead
   */
  public Session start(Actor actor, String spaceName) {
    StudioUser user = user(actor);
    StudioSpace space = visibleSpace(user, spaceName);
    if (!space.remoteAccess()) {
      throw Rejection.conflict("RemoteAccessDisabled", "space " + spaceName + " does not have SageMaker's remote "
          + "access on (SpaceSettings RemoteAccess is not ENABLED). Its owner or an admin turns it on (stopping its "
          + "app first if SageMaker asks): aws sagemaker update-space --domain-id " + space.domainId()
          + " --space-name " + spaceName + " --space-settings RemoteAccess=ENABLED; or reach it over SSM "
          + "instead: sdocker ssh register in the space, then sdocker ssh config --space " + spaceName);
    }
    List<StudioApp> apps = appsOf(user, space);
    if (apps.stream().noneMatch(StudioApp::running)) {
      throw Rejection.conflict("SpaceNotRunning", "space " + spaceName + " runs no app; start it first "
          + "(sdocker studio up --space " + spaceName + ")");
    }
    if (apps.stream().noneMatch(a -> a.status().equals("InService"))) {
      throw Rejection.conflict("SpaceStarting", "space " + spaceName + "'s app is still starting (Pending); "
          + "connect again once it is InService, usually within a few minutes");
    }
    String arn = space.arn().orElseThrow(() -> new IllegalStateException("SageMaker described space "
        + spaceName + " without its ARN"));
    return new Session(space, region, sessions.start(arn));
  }

  private StudioSpace visibleSpace(StudioUser user, String spaceName) {
    if (spaceName == null || !NAME.matcher(spaceName).matches()) {
      throw Rejection.invalid("space", "'" + spaceName + "' is not a space name (1 to 63 letters, digits and "
          + "hyphens, such as my-project)");
    }
    Optional<StudioSpace> space = studio.space(user.domainId(), spaceName)
        .filter(s -> s.openTo(user.userProfileName()));
    return space.orElseThrow(() -> Rejection.notFound("no space " + spaceName + " of yours (nor shared in domain "
        + user.domainId() + ")"));
  }

  private boolean running(StudioUser user, StudioSpace space) {
    return appsOf(user, space).stream().anyMatch(StudioApp::running);
  }

  private List<StudioApp> appsOf(StudioUser user, StudioSpace space) {
    return studio.apps(user.domainId()).stream()
        .filter(a -> a.spaceName().map(space.name()::equals).orElse(false))
        .toList();
  }

  private static StudioUser user(Actor actor) {
    return actor.user().orElseThrow(() -> new Rejection(Rejection.Kind.INVALID, "MissingHeader",
        "send X-Studio-Domain-Id and X-Studio-User-Profile (sdocker: run it in Studio, or --domain-id and "
            + "--user-profile) to say which Studio user you are"));
  }
}

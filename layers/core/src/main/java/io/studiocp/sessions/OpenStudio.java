package io.studiocp.sessions;

import io.studiocp.identity.Actor;
import io.studiocp.platform.Rejection;
import io.studiocp.studio.StudioUser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code POST /studio/url} ({@code sdocker studio up}): a presigned URL that signs the caller into
 * Studio, optionally straight into a space and an app. A space that does not exist yet is created
 * first, private to the caller, with the domain's defaults; another user's private space is
 * answered as if it did not exist.
 */
public final class OpenStudio {

  /** SageMaker's bounds: how long the Studio session lasts, and how long the URL may wait to be opened. */
  public static final Bounds SESSION_SECONDS = new Bounds(1800, 43200, 43200);
  public static final Bounds EXPIRES_IN_SECONDS = new Bounds(5, 300, 300);

  public record Bounds(int min, int max, int standard) {
    int check(String field, Optional<Integer> value) {
      int chosen = value.orElse(standard);
      if (chosen < min || chosen > max) {
        throw Rejection.invalid(field, "must be from " + min + " to " + max + " seconds (SageMaker's range), got "
            + chosen);
      }
      return chosen;
    }
  }

  /** What the caller asks for; every part is optional. */
  public record Request(Optional<String> space, Optional<String> app, Optional<Integer> sessionExpirationSeconds,
      Optional<Integer> expiresInSeconds) {

    public static Request home() {
      return new Request(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /**
   * The URL, until when it can be opened, how long the Studio session it opens lasts, and the space it
   * opens (created now, or not).
   */
  public record Session(String url, Instant urlExpiresAt, Duration session, Optional<String> space,
      boolean spaceCreated, Optional<LandingApp> app) {}

  private final StudioSessions studio;
  private final Clock clock;

  public OpenStudio(StudioSessions studio, Clock clock) {
    this.studio = studio;
    this.clock = clock;
  }

  public Session open(Actor actor, Request request) {
    StudioUser user = Callers.user(actor);
    Optional<LandingApp> app = request.app().map(a -> LandingApp.parse("app", a));
    Optional<String> spaceName = request.space().map(s -> Callers.spaceName("space", s));
    Duration session = Duration.ofSeconds(SESSION_SECONDS.check("sessionExpirationSeconds",
        request.sessionExpirationSeconds()));
    Duration expiresIn = Duration.ofSeconds(EXPIRES_IN_SECONDS.check("expiresInSeconds", request.expiresInSeconds()));
    boolean created = false;
    Optional<LandingApp> landing = app;
    if (spaceName.isPresent()) {
      Optional<StudioSpace> existing = studio.space(user.domainId(), spaceName.get());
      if (existing.isPresent()) {
        StudioSpace space = existing.get();
        if (!space.openTo(user.userProfileName())) {
          throw Rejection.notFound("no space " + space.name() + " you can open in domain " + user.domainId()
              + "; 'sdocker studio spaces list' shows yours and the shared ones");
        }
        if (space.status().equals("Deleting")) {
          throw Rejection.conflict("SpaceDeleting", "space " + space.name() + " is being deleted; open it again "
              + "under another name once it is gone");
        }
        Optional<LandingApp> spaceApp = space.appType().flatMap(LandingApp::ofAppType);
        if (app.isPresent() && spaceApp.isPresent() && app.get() != spaceApp.get()) {
          throw Rejection.invalid("app", "space " + space.name() + " runs " + spaceApp.get().appType()
              + ", not " + app.get().appType() + "; leave the app out or ask for "
              + spaceApp.get().appType().toLowerCase(java.util.Locale.ROOT));
        }
        landing = app.or(() -> spaceApp).or(() -> Optional.of(LandingApp.JUPYTER_LAB));
      } else {
        LandingApp chosen = app.orElse(LandingApp.JUPYTER_LAB);
        studio.createSpace(user, spaceName.get(), false, chosen.appType());
        created = true;
        landing = Optional.of(chosen);
      }
    }
    Instant now = clock.instant();
    String url = studio.presignedUrl(user, spaceName, landing.map(LandingApp::landingUri), session, expiresIn);
    return new Session(url, now.plus(expiresIn), session, spaceName, created, landing);
  }
}

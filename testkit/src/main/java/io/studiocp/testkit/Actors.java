package io.studiocp.testkit;

import io.studiocp.identity.Actor;
import io.studiocp.identity.CallerPrincipal;
import io.studiocp.studio.StudioUser;
import java.util.Optional;

/** Callers as the API resolves them, for tests of the use cases. */
public final class Actors {

  private Actors() {}

  /** A Studio user calling with their own execution role ({@code studio-<profile>}), not an admin. */
  public static Actor studioUser(StudioUser user) {
    return new Actor(CallerPrincipal.parse("arn:aws:sts::123456789012:assumed-role/studio-" + user.userProfileName()
        + "/SageMaker").orElseThrow(), Optional.of(user), false);
  }
}

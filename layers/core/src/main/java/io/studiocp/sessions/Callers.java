package io.studiocp.sessions;

import io.studiocp.identity.Actor;
import io.studiocp.platform.Rejection;
import io.studiocp.studio.StudioUser;
import java.util.regex.Pattern;

/** What every Studio session call checks first: who the caller is, and names as SageMaker takes them. */
final class Callers {

  /** SageMaker's pattern for space and app names. */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");

  private Callers() {}

  /** The Studio user the caller proved to be; Studio sessions are always some user's. */
  static StudioUser user(Actor actor) {
    return actor.user().orElseThrow(() -> new Rejection(Rejection.Kind.INVALID, "MissingHeader",
        "send X-Studio-Domain-Id and X-Studio-User-Profile (sdocker: --domain-id and --user-profile, or run "
            + "it in Studio) to say which Studio user you are"));
  }

  static String spaceName(String field, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw Rejection.invalid(field, "'" + value + "' is not a space name: 1 to 63 letters, digits and "
          + "hyphens, starting and ending with a letter or digit, such as my-project");
    }
    return value;
  }

  static String appName(String field, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw Rejection.invalid(field, "'" + value + "' is not an app name: 1 to 63 letters, digits and hyphens");
    }
    return value;
  }
}

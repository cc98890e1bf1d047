package io.studiocp.sessions;

import io.studiocp.identity.Actor;
import io.studiocp.identity.CallerPrincipal;
import io.studiocp.studio.StudioUser;
import java.util.Optional;

/** Callers of the session use cases. */
final class Users {

  static final String DOMAIN = "d-abc";
  static final StudioUser ALICE = new StudioUser(DOMAIN, "alice");
  static final StudioUser BOB = new StudioUser(DOMAIN, "bob");

  private Users() {}

  static Actor as(StudioUser user) {
    return new Actor(principal("arn:aws:sts::123456789012:assumed-role/studio-" + user.userProfileName() + "/SageMaker"),
        Optional.of(user), false);
  }

  static Actor adminWithoutProfile() {
    return new Actor(principal("arn:aws:sts::123456789012:assumed-role/platform-admin/console"), Optional.empty(), true);
  }

  static Actor nobody() {
    return new Actor(principal("arn:aws:iam::123456789012:user/someone"), Optional.empty(), false);
  }

  private static CallerPrincipal principal(String arn) {
    return CallerPrincipal.parse(arn).orElseThrow();
  }
}

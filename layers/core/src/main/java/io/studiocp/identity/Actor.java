package io.studiocp.identity;

import io.studiocp.studio.StudioUser;
import java.util.Optional;

/**
 * Who a request acts as: the signing principal, the Studio user it proved to be (if it claimed
 * one), and whether it is an admin.
 */
public record Actor(CallerPrincipal principal, Optional<StudioUser> user, boolean admin) {

  /** Whether this actor may see and act on what {@code owner} owns. */
  public boolean mayActOn(StudioUser owner) {
    return admin || user.map(owner::equals).orElse(false);
  }
}

package io.studiocp.admin;

import io.studiocp.platform.Rejection;
import io.studiocp.studio.StudioUser;
import java.util.List;

/** The admin console acts on the domains this control plane manages only. */
final class Domains {

  private Domains() {}

  static void requireManaged(String domainId, List<String> managed) {
    if (!StudioUser.isDomainId(domainId)) {
      throw Rejection.invalid("domainId", "'" + domainId + "' is not a SageMaker domain id (d-...)");
    }
    if (!managed.contains(domainId)) {
      throw Rejection.forbidden("domain " + domainId + " is not managed by this control plane; it manages "
          + String.join(", ", managed) + " (StudioDomainIds)");
    }
  }
}

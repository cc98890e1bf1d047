package io.studiocp.identity;

import io.studiocp.platform.ConfigurationException;
import io.studiocp.platform.Env;
import io.studiocp.platform.Settings;
import java.util.List;

/** The identity settings: the admins, the managed domains, whether execution roles may be shared. */
public record IdentityPolicy(PrincipalList admins, List<String> domainIds, boolean allowSharedRoles) {

  /** The profile tag that names further principals allowed to act as the profile (laptops). */
  public static final String PRINCIPALS_TAG = "studiocp:principals";

  public static IdentityPolicy from(Env env) {
    PrincipalList admins;
    try {
      admins = PrincipalList.parse(env.text(Settings.ADMIN_PRINCIPALS, ""));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("parameter AdminPrincipals (environment variable "
          + "ADMIN_PRINCIPALS): " + e.getMessage());
    }
    List<String> domains = env.list(Settings.STUDIO_DOMAIN_IDS);
    for (String domain : domains) {
      if (!io.studiocp.studio.StudioUser.isDomainId(domain)) {
        throw new ConfigurationException("parameter StudioDomainIds (environment variable "
            + "STUDIO_DOMAIN_IDS): '" + domain + "' is not a SageMaker domain id (d-...)");
      }
    }
    if (domains.isEmpty()) {
      throw new ConfigurationException("parameter StudioDomainIds (environment variable "
          + "STUDIO_DOMAIN_IDS) must name at least one SageMaker domain id");
    }
    return new IdentityPolicy(admins, domains,
        env.bool(Settings.ALLOW_SHARED_EXECUTION_ROLES, false));
  }
}

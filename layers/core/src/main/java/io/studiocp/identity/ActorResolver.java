package io.studiocp.identity;

import io.studiocp.platform.Concurrently;
import io.studiocp.platform.Rejection;
import io.studiocp.studio.StudioDirectory;
import io.studiocp.studio.StudioDomain;
import io.studiocp.studio.StudioUser;
import io.studiocp.studio.UserProfile;
import java.util.List;
import java.util.Optional;

/**
 * Decides who a signed request acts as (docs/threat-model.md, "Calling the API"). A claimed user profile is accepted
 * only when the caller is that profile's execution role (and, unless shared roles are allowed, no
 * other profile of the domain runs with that role), or when the profile's
 * {@code studiocp:principals} tag names the caller.
 */
public final class ActorResolver {

  private final IdentityPolicy policy;
  private final StudioDirectory directory;
  private final ExecutionRoleIndex roles;

  public ActorResolver(IdentityPolicy policy, StudioDirectory directory, ExecutionRoleIndex roles) {
    this.policy = policy;
    this.directory = directory;
    this.roles = roles;
  }

  /**
   * @param callerArn the signing principal as API Gateway reports it
   * @param claimedDomainId the {@code X-Studio-Domain-Id} header, if sent
   * @param claimedProfile the {@code X-Studio-User-Profile} header, if sent
   */
  public Actor resolve(String callerArn, Optional<String> claimedDomainId, Optional<String> claimedProfile) {
    return resolve(callerArn, claimedDomainId, claimedProfile, Optional.empty());
  }

  /**
   * As {@link #resolve(String, Optional, Optional)}; without a claimed profile, a claimed space
   * ({@code X-Studio-Space-Name}, what the new Studio's app metadata names) claims the space's
   * owner, who must then be proved like any claimed profile.
   */
  public Actor resolve(String callerArn, Optional<String> claimedDomainId, Optional<String> claimedProfile,
      Optional<String> claimedSpace) {
    CallerPrincipal caller = CallerPrincipal.parse(callerArn).orElseThrow(() ->
        Rejection.forbidden("the request is not signed by an IAM user or role"));
    boolean admin = policy.admins().contains(caller);
    boolean bySpace = claimedProfile.isEmpty() && claimedSpace.isPresent();
    if (claimedDomainId.isEmpty() && claimedProfile.isEmpty() && claimedSpace.isEmpty()) {
      return new Actor(caller, Optional.empty(), admin);
    }
    if (claimedDomainId.isEmpty() || (claimedProfile.isEmpty() && !bySpace)) {
      throw new Rejection(Rejection.Kind.INVALID, "MissingHeader", "send both X-Studio-Domain-Id and "
          + "X-Studio-User-Profile (or X-Studio-Space-Name, whose owner you are), or neither");
    }
    String domainId = claimedDomainId.get();
    if (!StudioUser.isDomainId(domainId)) {
      throw Rejection.invalid("X-Studio-Domain-Id", "'" + domainId + "' is not a domain id (d-...)");
    }
    if (bySpace && !StudioUser.isProfileName(claimedSpace.get())) {
      throw Rejection.invalid("X-Studio-Space-Name", "'" + claimedSpace.get() + "' is not a space name");
    }
    if (!bySpace && !StudioUser.isProfileName(claimedProfile.get())) {
      throw Rejection.invalid("X-Studio-User-Profile", "'" + claimedProfile.get()
          + "' is not a user profile name");
    }
    if (!policy.domainIds().contains(domainId)) {
      throw Rejection.forbidden("domain " + domainId + " is not managed by this control plane");
    }
    String profileName = bySpace ? spaceOwner(domainId, claimedSpace.get()) : claimedProfile.get();
    String how = bySpace ? " (the owner of space " + claimedSpace.get() + "; in a space shared with you, say who you "
        + "are: sdocker --domain-id " + domainId + " --user-profile <your profile>)" : "";
    StudioUser user = new StudioUser(domainId, profileName);
    var profileLookup = Concurrently.start(() -> directory.userProfile(user));
    StudioDomain domain = directory.domain(domainId).orElseThrow(() ->
        Rejection.forbidden("domain " + domainId + " does not exist"));
    UserProfile profile = Concurrently.join(profileLookup).orElseThrow(() ->
        Rejection.forbidden("user profile " + profileName + " does not exist in domain " + domainId));
    if (isExecutionRoleOf(caller, profile, domain)) {
      return new Actor(caller, Optional.of(user), admin);
    }
    String tagged = directory.tags(profile).get(IdentityPolicy.PRINCIPALS_TAG);
    if (tagged != null && parseQuietly(tagged).contains(caller)) {
      return new Actor(caller, Optional.of(user), admin);
    }
    throw Rejection.forbidden(caller.arn() + " may not act as user profile " + user + how
        + ": it is not the profile's execution role, and the profile's "
        + IdentityPolicy.PRINCIPALS_TAG + " tag does not name it");
  }

  private String spaceOwner(String domainId, String spaceName) {
    return directory.spaceOwner(domainId, spaceName).filter(StudioUser::isProfileName).orElseThrow(() ->
        new Rejection(Rejection.Kind.INVALID, "UnknownSpaceOwner", "cannot tell who you are from space " + spaceName
            + " of domain " + domainId + ": it does not exist or names no owner; send X-Studio-User-Profile "
            + "(sdocker: --domain-id " + domainId + " --user-profile <your profile>)"));
  }

  private boolean isExecutionRoleOf(CallerPrincipal caller, UserProfile profile, StudioDomain domain) {
    Optional<CallerPrincipal> role = profile.effectiveExecutionRole(domain).flatMap(CallerPrincipal::parse);
    if (role.isEmpty() || !caller.isRole() || !caller.matches(role.get())) {
      return false;
    }
    if (policy.allowSharedRoles()) {
      return true;
    }
    List<String> sharing = roles.profilesUsing(domain, role.get().name()).stream()
        .filter(name -> !name.equals(profile.user().userProfileName()))
        .toList();
    if (!sharing.isEmpty()) {
      throw Rejection.forbidden("execution role " + role.get().name() + " is shared with "
          + "user profiles " + String.join(", ", sharing) + ", so it cannot prove who you are; "
          + "give each profile its own execution role, or have an admin set "
          + "AllowSharedExecutionRoles=true");
    }
    return true;
  }

  private static PrincipalList parseQuietly(String text) {
    try {
      return PrincipalList.parse(text);
    } catch (IllegalArgumentException e) {
      return PrincipalList.of(List.of());
    }
  }
}

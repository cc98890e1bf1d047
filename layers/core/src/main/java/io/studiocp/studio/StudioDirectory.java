package io.studiocp.studio;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SageMaker Studio's domains and user profiles, as far as identity and provisioning need them. */
public interface StudioDirectory {

  Optional<StudioDomain> domain(String domainId);

  Optional<UserProfile> userProfile(StudioUser user);

  /** The profile's tags (for example the principals allowed to act as it). */
  Map<String, String> tags(UserProfile profile);

  /** Every user profile of the domain. */
  List<UserProfile> userProfiles(String domainId);

  /**
   * The user profile that owns the space (its OwnershipSettings); empty when the space does not
   * exist or names no owner. The new Studio's apps know their space but not their user.
   */
  Optional<String> spaceOwner(String domainId, String spaceName);
}

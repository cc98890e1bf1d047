package io.studiocp.studio;

import java.util.List;
import java.util.Optional;

/**
 * What the control plane needs to know of a user profile. {@code executionRole} is the profile's
 * own role, or empty when it inherits the domain's.
 */
public record UserProfile(StudioUser user, String arn, long homeEfsUid, Optional<String> executionRole,
    List<String> securityGroupIds, Optional<String> ssoUserValue, List<CustomFileSystem> customFileSystems) {

  /** An EFS file system attached to the profile as a custom file system. */
  public record CustomFileSystem(String fileSystemId, String fileSystemPath) {}

  public UserProfile {
    securityGroupIds = List.copyOf(securityGroupIds);
    customFileSystems = List.copyOf(customFileSystems);
  }

  /** The role the profile's apps run with: its own, or else the domain's default. */
  public Optional<String> effectiveExecutionRole(StudioDomain domain) {
    return executionRole.or(() -> Optional.ofNullable(domain.defaultExecutionRole()));
  }
}

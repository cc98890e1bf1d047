package io.studiocp.studio;

import java.util.regex.Pattern;

/**
 * A Studio user: a user profile in a domain. Hosts belong to one; its {@link #owner()} string is
 * what the {@code studiocp:owner} tag holds.
 */
public record StudioUser(String domainId, String userProfileName) {

  private static final Pattern DOMAIN_ID = Pattern.compile("d-[a-z0-9]{1,62}");
  // SageMaker's own constraint for user profile names.
  private static final Pattern PROFILE_NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");

  public StudioUser {
    if (domainId == null || !DOMAIN_ID.matcher(domainId).matches()) {
      throw new IllegalArgumentException("not a SageMaker domain id: " + domainId);
    }
    if (userProfileName == null || !PROFILE_NAME.matcher(userProfileName).matches()) {
      throw new IllegalArgumentException("not a user profile name: " + userProfileName);
    }
  }

  public static boolean isDomainId(String value) {
    return value != null && DOMAIN_ID.matcher(value).matches();
  }

  public static boolean isProfileName(String value) {
    return value != null && PROFILE_NAME.matcher(value).matches();
  }

  /** Parses what {@link #owner()} wrote. */
  public static StudioUser parseOwner(String owner) {
    int slash = owner == null ? -1 : owner.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not an owner (domain/profile): " + owner);
    }
    return new StudioUser(owner.substring(0, slash), owner.substring(slash + 1));
  }

  public String owner() {
    return domainId + "/" + userProfileName;
  }

  @Override
  public String toString() {
    return owner();
  }
}

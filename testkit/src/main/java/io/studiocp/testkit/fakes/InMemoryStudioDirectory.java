package io.studiocp.testkit.fakes;

import io.studiocp.studio.StudioDirectory;
import io.studiocp.studio.StudioDomain;
import io.studiocp.studio.StudioUser;
import io.studiocp.studio.UserProfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Studio's domains and user profiles, in memory. */
public final class InMemoryStudioDirectory implements StudioDirectory {

  private final Map<String, StudioDomain> domains = new LinkedHashMap<>();
  private final Map<StudioUser, UserProfile> profiles = new LinkedHashMap<>();
  private final Map<StudioUser, Map<String, String>> tags = new LinkedHashMap<>();
  private final Map<String, String> spaceOwners = new LinkedHashMap<>();

  /** A space of the domain owned by {@code owner}. */
  public InMemoryStudioDirectory space(String domainId, String spaceName, String owner) {
    spaceOwners.put(domainId + "/" + spaceName, owner);
    return this;
  }

  @Override
  public Optional<String> spaceOwner(String domainId, String spaceName) {
    return Optional.ofNullable(spaceOwners.get(domainId + "/" + spaceName));
  }

  public InMemoryStudioDirectory add(StudioDomain domain) {
    domains.put(domain.domainId(), domain);
    return this;
  }

  public InMemoryStudioDirectory add(UserProfile profile, Map<String, String> profileTags) {
    profiles.put(profile.user(), profile);
    tags.put(profile.user(), Map.copyOf(profileTags));
    return this;
  }

  @Override
  public Optional<StudioDomain> domain(String domainId) {
    return Optional.ofNullable(domains.get(domainId));
  }

  @Override
  public Optional<UserProfile> userProfile(StudioUser user) {
    return Optional.ofNullable(profiles.get(user));
  }

  @Override
  public Map<String, String> tags(UserProfile profile) {
    return tags.getOrDefault(profile.user(), Map.of());
  }

  @Override
  public List<UserProfile> userProfiles(String domainId) {
    return profiles.values().stream().filter(p -> p.user().domainId().equals(domainId)).toList();
  }
}

package io.studiocp.police;

import io.studiocp.studio.StudioUser;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A running resource that costs money while it runs.
 *
 * @param id the ARN of an app, or the host id of a Docker host
 * @param owner the user who is reminded; empty for a shared space (the admins are)
 * @param location what names it in AWS: the profile or space, app type and app name; or the
 *     instance id of a host
 * @param tags its tags, where reminder marks, exemptions and snoozes live
 */
public record PolicedResource(ResourceKind kind, String id, String name, String domainId, Optional<StudioUser> owner,
    String instanceType, Instant startedAt, Map<String, String> tags, Location location) {

  /** The same resource with the tags read for it. */
  public PolicedResource withTags(Map<String, String> newTags) {
    return new PolicedResource(kind, id, name, domainId, owner, instanceType, startedAt, newTags, location);
  }

  /** How to address the resource when acting on it. */
  public record Location(String userProfileName, String spaceName, String appType, String appName,
      String instanceId) {

    public static Location app(String profile, String space, String appType, String appName) {
      return new Location(profile, space, appType, appName, null);
    }

    public static Location host(String instanceId) {
      return new Location(null, null, null, null, instanceId);
    }
  }

  public PolicedResource {
    tags = Map.copyOf(tags);
  }

  public Duration age(Instant now) {
    return Duration.between(startedAt, now);
  }

  public Optional<String> tag(String key) {
    return Optional.ofNullable(tags.get(key)).filter(v -> !v.isBlank());
  }
}

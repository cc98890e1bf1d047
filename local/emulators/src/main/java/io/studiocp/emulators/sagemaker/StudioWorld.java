package io.studiocp.emulators.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Everything the SageMaker Studio stand-in knows: domains, user profiles, spaces, apps and tags.
 * Thread-safe; tests and the sandbox change it directly, the stand-in serves it over HTTP.
 */
public final class StudioWorld {

  public record Domain(String domainId, String domainName, String vpcId, List<String> subnetIds,
      String homeEfsFileSystemId, List<String> securityGroups, String executionRole,
      Instant creationTime) {}

  public record CustomFileSystem(String fileSystemId, String fileSystemPath) {}

  public record UserProfile(String domainId, String name, long homeEfsUid, String executionRole,
      List<String> securityGroups, String ssoUserValue, List<CustomFileSystem> customFileSystems,
      Instant creationTime) {}

  public record Space(String domainId, String name, String ownerUserProfileName,
      String sharingType, Instant creationTime) {}

  /** An app; {@code userProfileName} or {@code spaceName} says where it runs. */
  public static final class App {
    final String domainId;
    final String userProfileName;
    final String spaceName;
    final String appType;
    final String appName;
    final String instanceType;
    final Instant creationTime;
    volatile String status;

    public App(String domainId, String userProfileName, String spaceName, String appType,
        String appName, String instanceType, Instant creationTime, String status) {
      this.domainId = domainId;
      this.userProfileName = userProfileName;
      this.spaceName = spaceName;
      this.appType = appType;
      this.appName = appName;
      this.instanceType = instanceType;
      this.creationTime = creationTime;
      this.status = status;
    }

    public String domainId() {
      return domainId;
    }

    public String userProfileName() {
      return userProfileName;
    }

    public String spaceName() {
      return spaceName;
    }

    public String appType() {
      return appType;
    }

    public String appName() {
      return appName;
    }

    public String instanceType() {
      return instanceType;
    }

    public Instant creationTime() {
      return creationTime;
    }

    public String status() {
      return status;
    }
  }

  private final String region;
  private final String accountId;
  private final Map<String, Domain> domains = new ConcurrentHashMap<>();
  private final Map<String, UserProfile> profiles = new ConcurrentHashMap<>();
  private final Map<String, Space> spaces = new ConcurrentHashMap<>();
  private final List<App> apps = new CopyOnWriteArrayList<>();
  private final Map<String, Map<String, String>> tags = new ConcurrentHashMap<>();

  public StudioWorld(String region, String accountId) {
    this.region = region;
    this.accountId = accountId;
  }

  public String region() {
    return region;
  }

  public String accountId() {
    return accountId;
  }

  // ---- changes -------------------------------------------------------------------------------

  public Domain addDomain(Domain domain) {
    domains.put(domain.domainId(), domain);
    return domain;
  }

  public UserProfile addUserProfile(UserProfile profile, Map<String, String> profileTags) {
    profiles.put(key(profile.domainId(), profile.name()), profile);
    if (!profileTags.isEmpty()) {
      tags.put(userProfileArn(profile.domainId(), profile.name()), new ConcurrentHashMap<>(profileTags));
    }
    return profile;
  }

  public Space addSpace(Space space) {
    spaces.put(key(space.domainId(), space.name()), space);
    return space;
  }

  public App addApp(App app) {
    apps.add(app);
    return app;
  }

  public void tag(String arn, Map<String, String> newTags) {
    tags.computeIfAbsent(arn, k -> new ConcurrentHashMap<>()).putAll(newTags);
  }

  public void untag(String arn, List<String> keys) {
    Map<String, String> current = tags.get(arn);
    if (current != null) {
      keys.forEach(current::remove);
    }
  }

  // ---- reads ---------------------------------------------------------------------------------

  public List<Domain> domains() {
    return domains.values().stream().sorted(Comparator.comparing(Domain::domainId)).toList();
  }

  public Optional<Domain> domain(String domainId) {
    return Optional.ofNullable(domains.get(domainId));
  }

  public List<UserProfile> userProfiles(String domainId) {
    return profiles.values().stream()
        .filter(p -> domainId == null || p.domainId().equals(domainId))
        .sorted(Comparator.comparing(UserProfile::domainId).thenComparing(UserProfile::name))
        .toList();
  }

  public Optional<UserProfile> userProfile(String domainId, String name) {
    return Optional.ofNullable(profiles.get(key(domainId, name)));
  }

  public List<Space> spaces(String domainId) {
    return spaces.values().stream()
        .filter(s -> domainId == null || s.domainId().equals(domainId))
        .sorted(Comparator.comparing(Space::domainId).thenComparing(Space::name))
        .toList();
  }

  public Optional<Space> space(String domainId, String name) {
    return Optional.ofNullable(spaces.get(key(domainId, name)));
  }

  public List<App> apps() {
    return List.copyOf(apps);
  }

  public Map<String, String> tagsOf(String arn) {
    return Map.copyOf(tags.getOrDefault(arn, Map.of()));
  }

  /** Every ARN that carries at least one tag, with its tags. */
  public Map<String, Map<String, String>> taggedResources() {
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    tags.entrySet().stream()
        .filter(e -> !e.getValue().isEmpty())
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> copy.put(e.getKey(), Map.copyOf(e.getValue())));
    return copy;
  }

  public boolean knowsArn(String arn) {
    if (tags.containsKey(arn)) {
      return true;
    }
    for (Domain d : domains.values()) {
      if (domainArn(d.domainId()).equals(arn)) {
        return true;
      }
    }
    for (UserProfile p : profiles.values()) {
      if (userProfileArn(p.domainId(), p.name()).equals(arn)) {
        return true;
      }
    }
    for (Space s : spaces.values()) {
      if (spaceArn(s.domainId(), s.name()).equals(arn)) {
        return true;
      }
    }
    for (App a : apps) {
      if (appArn(a).equals(arn)) {
        return true;
      }
    }
    return false;
  }

  // ---- ARNs ----------------------------------------------------------------------------------

  public String domainArn(String domainId) {
    return arn("domain/" + domainId);
  }

  public String userProfileArn(String domainId, String name) {
    return arn("user-profile/" + domainId + "/" + name);
  }

  public String spaceArn(String domainId, String name) {
    return arn("space/" + domainId + "/" + name);
  }

  public String appArn(App app) {
    String owner = app.spaceName != null ? app.spaceName : app.userProfileName;
    return arn("app/" + app.domainId + "/" + owner + "/" + app.appType.toLowerCase() + "/" + app.appName);
  }

  private String arn(String resource) {
    return "arn:aws:sagemaker:" + region + ":" + accountId + ":" + resource;
  }

  private static String key(String domainId, String name) {
    return domainId + "/" + name;
  }

  // ---- seed ----------------------------------------------------------------------------------

  /**
   * Builds a world from a seed document (see {@code local/seed.json} for a commented example).
   * Times may be given as {@code creationTime} (ISO-8601) or {@code ageHours} before {@code now}.
   */
  public static StudioWorld fromSeed(JsonNode seed, Instant now) {
    StudioWorld world = new StudioWorld(
        seed.path("region").asText("us-east-1"), seed.path("accountId").asText("123456789012"));
    for (JsonNode d : seed.path("domains")) {
      String domainId = required(d, "domainId");
      world.addDomain(new Domain(domainId, d.path("domainName").asText(domainId),
          d.path("vpcId").asText(null), strings(d.path("subnetIds")),
          d.path("homeEfsFileSystemId").asText(null), strings(d.path("securityGroups")),
          d.path("executionRole").asText(null), time(d, now)));
      for (JsonNode p : d.path("userProfiles")) {
        String name = required(p, "name");
        List<CustomFileSystem> fileSystems = new ArrayList<>();
        for (JsonNode fs : p.path("customFileSystems")) {
          fileSystems.add(new CustomFileSystem(required(fs, "fileSystemId"),
              fs.path("fileSystemPath").asText("/")));
        }
        Map<String, String> profileTags = new LinkedHashMap<>();
        p.path("tags").properties().forEach(e -> profileTags.put(e.getKey(), e.getValue().asText()));
        world.addUserProfile(new UserProfile(domainId, name, p.path("uid").asLong(200000),
            p.path("executionRole").asText(null), strings(p.path("securityGroups")),
            p.path("ssoUserValue").asText(null), fileSystems, time(p, now)), profileTags);
        for (JsonNode a : p.path("apps")) {
          world.addApp(app(domainId, name, null, a, now));
        }
      }
      for (JsonNode s : d.path("spaces")) {
        String name = required(s, "name");
        world.addSpace(new Space(domainId, name, s.path("owner").asText(null),
            s.path("sharingType").asText("Private"), time(s, now)));
        for (JsonNode a : s.path("apps")) {
          world.addApp(app(domainId, null, name, a, now));
        }
      }
    }
    return world;
  }

  private static App app(String domainId, String profile, String space, JsonNode a, Instant now) {
    return new App(domainId, profile, space, a.path("appType").asText("KernelGateway"),
        required(a, "appName"), a.path("instanceType").asText(null), time(a, now),
        a.path("status").asText("InService"));
  }

  private static Instant time(JsonNode node, Instant now) {
    if (node.hasNonNull("creationTime")) {
      return Instant.parse(node.get("creationTime").asText());
    }
    double hours = node.path("ageHours").asDouble(0);
    return now.minus(Duration.ofSeconds(Math.round(hours * 3600)));
  }

  private static String required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.asText().isBlank()) {
      throw new IllegalArgumentException("seed entry " + node + " lacks '" + field + "'");
    }
    return value.asText();
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return List.copyOf(values);
  }
}

package io.studiocp.emulators.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Everything the SageMaker Studio stand-in knows: domains, user profiles, spaces, apps and tags.
 * Thread-safe; tests and the sandbox change it directly, the stand-in serves it over HTTP.
 *
 * <p>Apps and spaces live through SageMaker's states on the world's clock: created ones are
 * {@code Pending} for {@link Lifecycle#pending()}, deleted ones {@code Deleting} for
 * {@link Lifecycle#deleting()}; then a deleted app stays listed as {@code Deleted} for
 * {@link Lifecycle#deletedAppsListed()} and a deleted space is gone. The default lifecycle is
 * immediate (no Pending, no Deleting) so that a test sees the end state at once; a test of the
 * transitions sets durations and drives a clock of its own, and the sandbox takes them from its seed.
 */
public final class StudioWorld {

  public record Domain(String domainId, String domainName, String vpcId, List<String> subnetIds,
      String homeEfsFileSystemId, List<String> securityGroups, String executionRole,
      Instant creationTime) {}

  public record CustomFileSystem(String fileSystemId, String fileSystemPath) {}

  public record UserProfile(String domainId, String name, long homeEfsUid, String executionRole,
      List<String> securityGroups, String ssoUserValue, List<CustomFileSystem> customFileSystems,
      Instant creationTime) {}

  /**
   * A space. {@code settings} is its {@code SpaceSettings} document as CreateSpace took it (null
   * when none), {@code displayName} its {@code SpaceDisplayName}.
   */
  public record Space(String domainId, String name, String ownerUserProfileName, String sharingType,
      Instant creationTime, String displayName, JsonNode settings) {

    public Space(String domainId, String name, String ownerUserProfileName, String sharingType,
        Instant creationTime) {
      this(domainId, name, ownerUserProfileName, sharingType, creationTime, null, null);
    }

    /** The {@code SpaceSettings.AppType} the space was created for, or null. */
    public String appType() {
      return settings == null ? null : settings.path("AppType").asText(null);
    }
  }

  /** How long the transitional states last. */
  public record Lifecycle(Duration pending, Duration deleting, Duration deletedAppsListed) {

    public static final Lifecycle IMMEDIATE = new Lifecycle(Duration.ZERO, Duration.ZERO, Duration.ofHours(1));
  }

  /** Service quotas the stand-in enforces with {@code ResourceLimitExceeded}. */
  public record Limits(int spacesPerDomain, int liveAppsPerOwner) {

    public static final Limits NONE = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  /** An app; {@code userProfileName} or {@code spaceName} says where it runs. */
  public static final class App {
    final String domainId;
    final String userProfileName;
    final String spaceName;
    final String appType;
    final String appName;
    final String instanceType;
    final Instant creationTime;
    private final String seededStatus;
    private volatile StudioWorld world;
    private volatile Instant pendingUntil;
    private volatile Instant deleteRequestedAt;

    public App(String domainId, String userProfileName, String spaceName, String appType,
        String appName, String instanceType, Instant creationTime, String status) {
      this.domainId = domainId;
      this.userProfileName = userProfileName;
      this.spaceName = spaceName;
      this.appType = appType;
      this.appName = appName;
      this.instanceType = instanceType;
      this.creationTime = creationTime;
      this.seededStatus = status;
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

    /** {@code Pending}, {@code InService}, {@code Failed}, {@code Deleting} or {@code Deleted}, as of now. */
    public String status() {
      Instant now = world == null ? Instant.now() : world.now();
      Lifecycle lifecycle = world == null ? Lifecycle.IMMEDIATE : world.lifecycle();
      Instant deleted = deleteRequestedAt;
      if (deleted != null) {
        return now.isBefore(deleted.plus(lifecycle.deleting())) ? "Deleting" : "Deleted";
      }
      Instant pending = pendingUntil;
      if (pending != null && now.isBefore(pending)) {
        return "Pending";
      }
      return seededStatus;
    }

    /** Anything but Deleted: an app that keeps its space, and its name, in use. */
    public boolean inUse() {
      return !"Deleted".equals(status());
    }

    /** When it will no longer be listed, or null while it is not deleted. */
    Instant forgottenAt(Lifecycle lifecycle) {
      Instant deleted = deleteRequestedAt;
      if (deleted == null && "Deleted".equals(seededStatus)) {
        deleted = creationTime;
      }
      return deleted == null ? null : deleted.plus(lifecycle.deleting()).plus(lifecycle.deletedAppsListed());
    }
  }

  private final String region;
  private final String accountId;
  private final Clock clock;
  private volatile Lifecycle lifecycle = Lifecycle.IMMEDIATE;
  private volatile Limits limits = Limits.NONE;
  private final Map<String, Domain> domains = new ConcurrentHashMap<>();
  private final Map<String, UserProfile> profiles = new ConcurrentHashMap<>();
  private final Map<String, Space> spaces = new ConcurrentHashMap<>();
  private final Map<String, Instant> spacesPendingUntil = new ConcurrentHashMap<>();
  private final Map<String, Instant> spacesDeletedAt = new ConcurrentHashMap<>();
  /** Every app still listed, in the order added; changed only under the world's lock. */
  private final Set<App> apps = new LinkedHashSet<>();
  /** The apps that will stop being listed some time (deleted ones): all {@link #forgetFinished} looks at. */
  private final Set<App> mortalApps = ConcurrentHashMap.newKeySet();
  /** The apps indexed for reading, rebuilt after the set of apps changed (null until then). */
  private volatile AppIndex appIndex;
  private final Map<String, Map<String, String>> tags = new ConcurrentHashMap<>();
  /** Counts changes of any tag: the sorted snapshot of {@link #taggedResources()} is rebuilt after one. */
  private final java.util.concurrent.atomic.AtomicLong tagsChanged = new java.util.concurrent.atomic.AtomicLong();
  private volatile TaggedSnapshot tagged;

  public StudioWorld(String region, String accountId) {
    this(region, accountId, Clock.systemUTC());
  }

  public StudioWorld(String region, String accountId, Clock clock) {
    this.region = region;
    this.accountId = accountId;
    this.clock = clock;
  }

  public String region() {
    return region;
  }

  public String accountId() {
    return accountId;
  }

  public Instant now() {
    return clock.instant();
  }

  public Lifecycle lifecycle() {
    return lifecycle;
  }

  public StudioWorld lifecycle(Lifecycle lifecycle) {
    this.lifecycle = lifecycle;
    return this;
  }

  public Limits limits() {
    return limits;
  }

  public StudioWorld limits(Limits limits) {
    this.limits = limits;
    return this;
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
      tagsChanged.incrementAndGet();
    }
    return profile;
  }

  /** Adds a space as it is now, InService (for seeds and tests). */
  public Space addSpace(Space space) {
    spaces.put(key(space.domainId(), space.name()), space);
    return space;
  }

  /** Adds an app as it is now (for seeds and tests). */
  public synchronized App addApp(App app) {
    app.world = this;
    apps.add(app);
    if (app.forgottenAt(lifecycle) != null) {
      mortalApps.add(app);
    }
    appIndex = null;
    return app;
  }

  /** CreateSpace: the space starts Pending; false when the name is taken in the domain. */
  synchronized boolean createSpace(Space space, Map<String, String> spaceTags) {
    if (space(space.domainId(), space.name()).isPresent()) {
      return false;
    }
    String key = key(space.domainId(), space.name());
    spaces.put(key, space);
    spacesPendingUntil.put(key, space.creationTime().plus(lifecycle.pending()));
    if (!spaceTags.isEmpty()) {
      tag(spaceArn(space.domainId(), space.name()), spaceTags);
    }
    return true;
  }

  /** DeleteSpace: Deleting, then gone. */
  synchronized void deleteSpace(Space space) {
    spacesDeletedAt.putIfAbsent(key(space.domainId(), space.name()), now());
  }

  /** CreateApp: the app starts Pending. */
  synchronized App createApp(App app, Map<String, String> appTags) {
    app.pendingUntil = app.creationTime().plus(lifecycle.pending());
    addApp(app);
    if (!appTags.isEmpty()) {
      tag(appArn(app), appTags);
    }
    return app;
  }

  /** DeleteApp: Deleting, then Deleted (still listed for a while). */
  synchronized void deleteApp(App app) {
    if (app.deleteRequestedAt == null) {
      app.deleteRequestedAt = now();
      mortalApps.add(app);
    }
  }

  public void tag(String arn, Map<String, String> newTags) {
    tags.computeIfAbsent(arn, k -> new ConcurrentHashMap<>()).putAll(newTags);
    tagsChanged.incrementAndGet();
  }

  public void untag(String arn, List<String> keys) {
    Map<String, String> current = tags.get(arn);
    if (current != null) {
      keys.forEach(current::remove);
      tagsChanged.incrementAndGet();
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

  /** The spaces that exist (Deleting ones included), by domain and name. */
  public List<Space> spaces(String domainId) {
    forgetFinished();
    return spaces.values().stream()
        .filter(s -> domainId == null || s.domainId().equals(domainId))
        .sorted(Comparator.comparing(Space::domainId).thenComparing(Space::name))
        .toList();
  }

  public Optional<Space> space(String domainId, String name) {
    forgetFinished();
    return Optional.ofNullable(spaces.get(key(domainId, name)));
  }

  /** {@code Pending}, {@code InService} or {@code Deleting}, as of now. */
  public String status(Space space) {
    String key = key(space.domainId(), space.name());
    if (spacesDeletedAt.containsKey(key)) {
      return "Deleting";
    }
    Instant pending = spacesPendingUntil.get(key);
    return pending != null && now().isBefore(pending) ? "Pending" : "InService";
  }

  /** The apps still listed: every app but the Deleted ones whose listing time is over, in the order added. */
  public List<App> apps() {
    return index().all();
  }

  /**
   * The apps still listed of one domain ({@code null}: every domain) by creation time, oldest first
   * unless {@code descending}, apps created at the same time in the order added: what ListApps
   * pages through. Kept sorted between changes, so that a page costs no sort of every app.
   */
  public List<App> appsByCreation(String domainId, boolean descending) {
    return index().byCreation(domainId, descending);
  }

  /** The apps still listed of one user profile (or space, when {@code space}), oldest first. */
  public List<App> appsOf(String domainId, String ownerName, boolean space) {
    return index().of(domainId, ownerName, space);
  }

  private AppIndex index() {
    forgetFinished();
    AppIndex index = appIndex;
    if (index == null) {
      synchronized (this) {
        index = appIndex;
        if (index == null) {
          index = new AppIndex(List.copyOf(apps), this::appArn);
          appIndex = index;
        }
      }
    }
    return index;
  }

  /** The listed apps as ListApps, DescribeApp and tagging read them: sorted views and ARNs, built once per change. */
  private static final class AppIndex {

    private static final Comparator<App> BY_CREATION = Comparator.comparing(App::creationTime);

    private final List<App> all;
    private final Set<String> arns = new java.util.HashSet<>();
    private final Map<String, List<App>> byOwner = new java.util.HashMap<>();
    private final Map<String, List<App>> sorted = new ConcurrentHashMap<>();

    AppIndex(List<App> all, java.util.function.Function<App, String> arnOf) {
      this.all = all;
      for (App app : all) {
        arns.add(arnOf.apply(app));
        byOwner.computeIfAbsent(ownerKey(app.domainId, app.spaceName != null ? app.spaceName : app.userProfileName,
            app.spaceName != null), k -> new ArrayList<>()).add(app);
      }
      byOwner.replaceAll((k, list) -> list.stream().sorted(BY_CREATION).toList());
    }

    List<App> all() {
      return all;
    }

    List<App> byCreation(String domainId, boolean descending) {
      return sorted.computeIfAbsent((descending ? "-" : "+") + domainId, k -> all.stream()
          .filter(a -> domainId == null || a.domainId.equals(domainId))
          .sorted(descending ? BY_CREATION.reversed() : BY_CREATION)
          .toList());
    }

    List<App> of(String domainId, String ownerName, boolean space) {
      return byOwner.getOrDefault(ownerKey(domainId, ownerName, space), List.of());
    }

    boolean knows(String arn) {
      return arns.contains(arn);
    }

    private static String ownerKey(String domainId, String ownerName, boolean space) {
      return domainId + (space ? "/space/" : "/profile/") + ownerName;
    }
  }

  public Map<String, String> tagsOf(String arn) {
    return Map.copyOf(tags.getOrDefault(arn, Map.of()));
  }

  /**
   * Every ARN that carries at least one tag, with its tags, in ARN order: what a GetResources sweep
   * pages through. Kept between changes of any tag, so that each page of a sweep over thousands of
   * tagged profiles costs no sort of them all.
   */
  public Map<String, Map<String, String>> taggedResources() {
    forgetFinished();
    TaggedSnapshot snapshot = tagged;
    long version = tagsChanged.get();
    if (snapshot == null || snapshot.version() != version) {
      Map<String, Map<String, String>> copy = new LinkedHashMap<>();
      tags.entrySet().stream()
          .filter(e -> !e.getValue().isEmpty())
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> copy.put(e.getKey(), Map.copyOf(e.getValue())));
      snapshot = new TaggedSnapshot(version, java.util.Collections.unmodifiableMap(copy));
      tagged = snapshot;
    }
    return snapshot.resources();
  }

  private record TaggedSnapshot(long version, Map<String, Map<String, String>> resources) {}

  /** The tags of these resources (those that have any), in ARN order: a GetResources by ARN, without a sweep. */
  public Map<String, Map<String, String>> taggedResources(Collection<String> arns) {
    forgetFinished();
    Map<String, Map<String, String>> found = new TreeMap<>();
    for (String arn : arns) {
      Map<String, String> values = tags.get(arn);
      if (values != null && !values.isEmpty()) {
        found.put(arn, Map.copyOf(values));
      }
    }
    return found;
  }

  public boolean knowsArn(String arn) {
    forgetFinished();
    if (tags.containsKey(arn)) {
      return true;
    }
    if (arn.startsWith(arn("domain/"))) {
      return domains.containsKey(arn.substring(arn("domain/").length()));
    }
    for (String kind : List.of("user-profile/", "space/")) {
      if (arn.startsWith(arn(kind))) {
        String[] parts = arn.substring(arn(kind).length()).split("/", -1);
        return parts.length == 2 && (kind.equals("space/") ? spaces : profiles).containsKey(key(parts[0], parts[1]));
      }
    }
    // Apps by their ARNs, indexed (the police's benchmark tags thousands among 30,000 apps).
    return arn.startsWith(arn("app/")) && index().knows(arn);
  }

  /** Drops the spaces whose deletion is over and the Deleted apps no longer listed, with their tags. */
  private void forgetFinished() {
    Instant now = now();
    Lifecycle current = lifecycle;
    spacesDeletedAt.forEach((key, deletedAt) -> {
      if (!now.isBefore(deletedAt.plus(current.deleting()))) {
        Space gone = spaces.remove(key);
        spacesDeletedAt.remove(key);
        spacesPendingUntil.remove(key);
        if (gone != null) {
          tags.remove(spaceArn(gone.domainId(), gone.name()));
          tagsChanged.incrementAndGet();
        }
      }
    });
    for (App app : mortalApps) {
      Instant forgotten = app.forgottenAt(current);
      if (forgotten != null && !now.isBefore(forgotten)) {
        forget(app);
      }
    }
  }

  private synchronized void forget(App app) {
    mortalApps.remove(app);
    if (apps.remove(app)) {
      tags.remove(appArn(app));
      tagsChanged.incrementAndGet();
      appIndex = null;
    }
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

  /** As {@link #fromSeed(JsonNode, Clock)} on the system clock, with ages counted back from {@code now}. */
  public static StudioWorld fromSeed(JsonNode seed, Instant now) {
    return fromSeed(seed, Clock.systemUTC(), now);
  }

  /**
   * Builds a world from a seed document (see {@code local/seed.json} for a commented example).
   * Times may be given as {@code creationTime} (ISO-8601) or {@code ageHours} before now. An
   * optional {@code studioLifecycle} ({@code pendingSeconds}, {@code deletingSeconds},
   * {@code deletedAppsListedMinutes}) sets the {@link Lifecycle}.
   */
  public static StudioWorld fromSeed(JsonNode seed, Clock clock) {
    return fromSeed(seed, clock, clock.instant());
  }

  private static StudioWorld fromSeed(JsonNode seed, Clock clock, Instant now) {
    StudioWorld world = new StudioWorld(
        seed.path("region").asText("us-east-1"), seed.path("accountId").asText("123456789012"), clock);
    JsonNode lifecycle = seed.path("studioLifecycle");
    if (!lifecycle.isMissingNode()) {
      Lifecycle defaults = Lifecycle.IMMEDIATE;
      world.lifecycle(new Lifecycle(
          Duration.ofSeconds(lifecycle.path("pendingSeconds").asLong(defaults.pending().toSeconds())),
          Duration.ofSeconds(lifecycle.path("deletingSeconds").asLong(defaults.deleting().toSeconds())),
          Duration.ofMinutes(lifecycle.path("deletedAppsListedMinutes").asLong(defaults.deletedAppsListed().toMinutes()))));
    }
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
        ObjectNode settings = null;
        if (s.has("appType") || s.has("remoteAccess")) {
          settings = JsonNodeFactory.instance.objectNode();
          if (s.has("appType")) {
            settings.put("AppType", s.get("appType").asText());
          }
          if (s.has("remoteAccess")) {
            // SpaceSettings.RemoteAccess: ENABLED or DISABLED
            settings.put("RemoteAccess", s.get("remoteAccess").asText());
          }
        }
        world.addSpace(new Space(domainId, name, s.path("owner").asText(null),
            s.path("sharingType").asText("Private"), time(s, now), s.path("displayName").asText(null), settings));
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

package io.studiocp.testkit.fakes;

import io.studiocp.platform.Rejection;
import io.studiocp.sessions.StudioApp;
import io.studiocp.sessions.StudioSessions;
import io.studiocp.sessions.StudioSpace;
import io.studiocp.studio.StudioUser;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Studio's apps and spaces in memory, with SageMaker's rules the use cases meet: a deleted app is
 * Deleting (until {@link #finishDeletions}), a space with apps not Deleted cannot go, a taken space
 * name is in use. Every call that changes something is recorded in {@link #changes}.
 */
public final class InMemoryStudioSessions implements StudioSessions {

  /** A presigned URL as it was asked for. */
  public record UrlRequest(StudioUser user, Optional<String> space, Optional<String> landingUri, Duration session,
      Duration expiresIn) {}

  private final Clock clock;
  private final List<StudioApp> apps = new ArrayList<>();
  private final Map<String, StudioSpace> spaces = new LinkedHashMap<>();
  public final List<String> changes = new ArrayList<>();
  public final List<UrlRequest> urls = new ArrayList<>();

  public InMemoryStudioSessions(Clock clock) {
    this.clock = clock;
  }

  public InMemoryStudioSessions app(StudioUser user, String appType, String appName, String instanceType,
      Duration age) {
    apps.add(new StudioApp(user.domainId(), Optional.of(user.userProfileName()), Optional.empty(), appType, appName,
        "InService", Optional.ofNullable(instanceType), clock.instant().minus(age)));
    return this;
  }

  public InMemoryStudioSessions spaceApp(String domainId, String space, String appType, String instanceType,
      Duration age) {
    apps.add(new StudioApp(domainId, Optional.empty(), Optional.of(space), appType, "default", "InService",
        Optional.ofNullable(instanceType), clock.instant().minus(age)));
    return this;
  }

  public InMemoryStudioSessions space(String domainId, String name, boolean shared, String owner, String appType) {
    spaces.put(domainId + "/" + name, new StudioSpace(domainId, name, "InService", shared, Optional.ofNullable(owner),
        Optional.ofNullable(appType), clock.instant()));
    return this;
  }

  /** A space as given (its remote access and ARN included). */
  public InMemoryStudioSessions space(StudioSpace space) {
    spaces.put(space.domainId() + "/" + space.name(), space);
    return this;
  }

  /** What SageMaker does in the background: Deleting apps become Deleted. */
  public void finishDeletions() {
    apps.replaceAll(a -> a.status().equals("Deleting") ? withStatus(a, "Deleted") : a);
  }

  public List<StudioApp> allApps() {
    return List.copyOf(apps);
  }

  @Override
  public List<StudioApp> apps(String domainId) {
    return apps.stream().filter(a -> a.domainId().equals(domainId)).toList();
  }

  @Override
  public List<StudioSpace> spaces(String domainId) {
    return spaces.values().stream().filter(s -> s.domainId().equals(domainId)).toList();
  }

  @Override
  public Optional<StudioSpace> space(String domainId, String name) {
    return Optional.ofNullable(spaces.get(domainId + "/" + name));
  }

  @Override
  public void createSpace(StudioUser owner, String name, boolean shared, String appType) {
    if (spaces.containsKey(owner.domainId() + "/" + name)) {
      throw Rejection.conflict("SpaceExists", "in use: " + name);
    }
    spaces.put(owner.domainId() + "/" + name, new StudioSpace(owner.domainId(), name, "Pending", shared,
        Optional.of(owner.userProfileName()), Optional.of(appType), clock.instant()));
    changes.add("CreateSpace " + name + " owner=" + owner.userProfileName() + " shared=" + shared + " app=" + appType);
  }

  @Override
  public void deleteSpace(String domainId, String name) {
    if (apps.stream().anyMatch(a -> a.spaceName().map(name::equals).orElse(false) && !a.status().equals("Deleted"))) {
      throw new IllegalStateException("SageMaker would refuse: space " + name + " has apps that are not Deleted");
    }
    StudioSpace space = spaces.get(domainId + "/" + name);
    spaces.put(domainId + "/" + name, new StudioSpace(domainId, name, "Deleting", space.shared(), space.owner(),
        space.appType(), space.createdAt()));
    changes.add("DeleteSpace " + name);
  }

  @Override
  public void deleteApp(StudioApp app) {
    int at = apps.indexOf(app);
    if (at < 0 || !app.running()) {
      throw new IllegalStateException("SageMaker would refuse to delete " + app);
    }
    apps.set(at, withStatus(app, "Deleting"));
    changes.add("DeleteApp " + app.appType() + " " + app.appName() + " in " + app.where());
  }

  @Override
  public String presignedUrl(StudioUser user, Optional<String> space, Optional<String> landingUri, Duration session,
      Duration expiresIn) {
    urls.add(new UrlRequest(user, space, landingUri, session, expiresIn));
    return "https://" + user.domainId() + ".studio.us-east-1.sagemaker.aws/auth?token=" + user.userProfileName()
        + space.map(s -> "-" + s).orElse("");
  }

  private static StudioApp withStatus(StudioApp a, String status) {
    return new StudioApp(a.domainId(), a.userProfileName(), a.spaceName(), a.appType(), a.appName(), status,
        a.instanceType(), a.createdAt());
  }
}

package io.studiocp.emulators.sagemaker;

import static io.studiocp.emulators.sagemaker.StudioAnswers.JSON;
import static io.studiocp.emulators.sagemaker.StudioAnswers.epoch;
import static io.studiocp.emulators.sagemaker.StudioAnswers.inUse;
import static io.studiocp.emulators.sagemaker.StudioAnswers.invalid;
import static io.studiocp.emulators.sagemaker.StudioAnswers.limitExceeded;
import static io.studiocp.emulators.sagemaker.StudioAnswers.notFound;
import static io.studiocp.emulators.sagemaker.StudioAnswers.optional;
import static io.studiocp.emulators.sagemaker.StudioAnswers.page;
import static io.studiocp.emulators.sagemaker.StudioAnswers.tags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.http.AwsJsonError;
import io.studiocp.emulators.sagemaker.StudioWorld.App;
import io.studiocp.emulators.sagemaker.StudioWorld.Space;
import java.util.Comparator;
import java.util.List;

/**
 * Apps of user profiles and spaces: Pending, InService, then Deleting and Deleted. Deleted apps
 * stay listed for a while, as SageMaker lists them; they hold neither their name nor their space.
 */
final class AppOperations {

  private final StudioWorld world;
  private final DomainOperations domains;
  private final SpaceOperations spaces;

  AppOperations(StudioWorld world, DomainOperations domains, SpaceOperations spaces) {
    this.world = world;
    this.domains = domains;
    this.spaces = spaces;
  }

  JsonNode listApps(JsonNode in) {
    String domainId = optional(in, "DomainIdEquals");
    String profile = optional(in, "UserProfileNameEquals");
    String space = optional(in, "SpaceNameEquals");
    if (profile != null && space != null) {
      throw invalid("UserProfileNameEquals and SpaceNameEquals cannot both be set");
    }
    if ((profile != null || space != null) && domainId == null) {
      throw invalid("DomainIdEquals is required with UserProfileNameEquals or SpaceNameEquals");
    }
    boolean descending = "Descending".equals(optional(in, "SortOrder"));
    // From the world's indexes: a page of a large domain costs no filter or sort of every app.
    List<App> apps = profile == null && space == null ? world.appsByCreation(domainId, descending)
        : world.appsOf(domainId, profile != null ? profile : space, space != null);
    if (descending && (profile != null || space != null)) {
      apps = apps.stream().sorted(Comparator.comparing(App::creationTime).reversed()).toList();
    }
    return page(in, "Apps", apps, 10, this::details);
  }

  JsonNode describeApp(JsonNode in) {
    App app = find(in);
    ObjectNode node = details(app);
    node.put("AppArn", world.appArn(app));
    return node;
  }

  /**
   * The model checks names and types; here: exactly one of UserProfileName and SpaceName, which must
   * exist; a space runs the app type it was made for; a KernelGateway needs an instance type and a
   * JupyterServer runs on {@code system}; a name is taken until its app is Deleted; an owner runs at
   * most {@link StudioWorld.Limits#liveAppsPerOwner()} apps.
   */
  JsonNode createApp(JsonNode in) {
    String domainId = in.path("DomainId").asText();
    String profile = optional(in, "UserProfileName");
    String spaceName = optional(in, "SpaceName");
    String type = in.path("AppType").asText();
    String name = in.path("AppName").asText();
    requireOneOwner(profile, spaceName);
    if (profile != null) {
      domains.profile(domainId, profile);
    } else {
      Space space = spaces.space(domainId, spaceName);
      if ("Deleting".equals(world.status(space))) {
        throw inUse("Space " + world.spaceArn(domainId, spaceName) + " is being deleted.");
      }
      if (space.appType() != null && !space.appType().equals(type)) {
        throw invalid("Space " + spaceName + " is for " + space.appType() + " apps, not " + type);
      }
    }
    String instanceType = in.path("ResourceSpec").path("InstanceType").asText(null);
    if ("JupyterServer".equals(type) && instanceType != null && !"system".equals(instanceType)) {
      throw invalid("JupyterServer apps run on the system instance type only, not " + instanceType);
    }
    if ("KernelGateway".equals(type) && instanceType == null) {
      throw invalid("ResourceSpec.InstanceType is required for a KernelGateway app: neither the request, "
          + "the user profile nor the domain sets one");
    }
    List<App> owned = world.appsOf(domainId, profile != null ? profile : spaceName, profile == null).stream()
        .filter(App::inUse)
        .toList();
    App candidate = new App(domainId, profile, spaceName, type, name,
        instanceType != null ? instanceType : "JupyterServer".equals(type) ? "system" : null, world.now(), "InService");
    if (owned.stream().anyMatch(a -> a.appType().equals(type) && a.appName().equals(name))) {
      throw inUse("App " + world.appArn(candidate) + " already exists.");
    }
    int limit = world.limits().liveAppsPerOwner();
    if (owned.size() >= limit) {
      throw limitExceeded("The account-level service limit of " + limit + " running apps per "
          + (profile != null ? "user profile" : "space") + " is reached; delete an app first.");
    }
    App app = world.createApp(candidate, tags(in.path("Tags")));
    ObjectNode out = JSON.createObjectNode();
    out.put("AppArn", world.appArn(app));
    return out;
  }

  /** Pending, InService and Failed apps can be deleted; a Deleting one is in use, a Deleted one gone. */
  JsonNode deleteApp(JsonNode in) {
    App app = find(in);
    switch (app.status()) {
      case "Deleting" -> throw inUse("App " + world.appArn(app) + " is already being deleted.");
      case "Deleted" -> throw new AwsJsonError("ResourceNotFound", "App " + world.appArn(app) + " is deleted.");
      default -> world.deleteApp(app);
    }
    return JSON.createObjectNode();
  }

  private App find(JsonNode in) {
    String domainId = in.path("DomainId").asText();
    String profile = optional(in, "UserProfileName");
    String space = optional(in, "SpaceName");
    String type = in.path("AppType").asText();
    String name = in.path("AppName").asText();
    requireOneOwner(profile, space);
    domains.domain(domainId);
    return world.appsOf(domainId, profile != null ? profile : space, space != null).stream()
        .filter(a -> a.appType().equals(type) && a.appName().equals(name))
        .max(Comparator.comparing(App::creationTime))
        .orElseThrow(() -> notFound("App", "arn:aws:sagemaker:" + world.region() + ":" + world.accountId() + ":app/"
            + domainId + "/" + (space != null ? space : profile) + "/" + type.toLowerCase() + "/" + name));
  }

  private static void requireOneOwner(String profile, String space) {
    if ((profile == null) == (space == null)) {
      throw invalid("Set exactly one of UserProfileName and SpaceName");
    }
  }

  private ObjectNode details(App a) {
    ObjectNode node = JSON.createObjectNode();
    node.put("DomainId", a.domainId());
    if (a.userProfileName() != null) {
      node.put("UserProfileName", a.userProfileName());
    }
    if (a.spaceName() != null) {
      node.put("SpaceName", a.spaceName());
    }
    node.put("AppType", a.appType());
    node.put("AppName", a.appName());
    node.put("Status", a.status());
    node.put("CreationTime", epoch(a.creationTime()));
    if (a.instanceType() != null) {
      node.putObject("ResourceSpec").put("InstanceType", a.instanceType());
    }
    return node;
  }
}

package io.studiocp.emulators.sagemaker;

import static io.studiocp.emulators.sagemaker.StudioAnswers.JSON;
import static io.studiocp.emulators.sagemaker.StudioAnswers.epoch;
import static io.studiocp.emulators.sagemaker.StudioAnswers.inUse;
import static io.studiocp.emulators.sagemaker.StudioAnswers.invalid;
import static io.studiocp.emulators.sagemaker.StudioAnswers.limitExceeded;
import static io.studiocp.emulators.sagemaker.StudioAnswers.notFound;
import static io.studiocp.emulators.sagemaker.StudioAnswers.optional;
import static io.studiocp.emulators.sagemaker.StudioAnswers.order;
import static io.studiocp.emulators.sagemaker.StudioAnswers.page;
import static io.studiocp.emulators.sagemaker.StudioAnswers.tags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.sagemaker.StudioWorld.App;
import io.studiocp.emulators.sagemaker.StudioWorld.Space;
import java.util.Comparator;
import java.util.List;

/** Spaces: listed, described, created (Pending, then InService) and deleted (Deleting, then gone). */
final class SpaceOperations {

  private final StudioWorld world;
  private final DomainOperations domains;

  SpaceOperations(StudioWorld world, DomainOperations domains) {
    this.world = world;
    this.domains = domains;
  }

  JsonNode listSpaces(JsonNode in) {
    String domainId = optional(in, "DomainIdEquals");
    String contains = optional(in, "SpaceNameContains");
    List<Space> spaces = world.spaces(domainId).stream()
        .filter(s -> contains == null || s.name().contains(contains))
        .sorted(order(in, Comparator.comparing(Space::creationTime).thenComparing(Space::name)))
        .toList();
    return page(in, "Spaces", spaces, 10, s -> {
      ObjectNode node = common(s);
      ObjectNode summary = JSON.createObjectNode();
      if (s.settings() != null) {
        for (String field : List.of("AppType", "RemoteAccess", "SpaceStorageSettings")) {
          if (s.settings().has(field)) {
            summary.set(field, s.settings().get(field).deepCopy());
          }
        }
      }
      if (!summary.isEmpty()) {
        node.set("SpaceSettingsSummary", summary);
      }
      node.putObject("SpaceSharingSettingsSummary").put("SharingType", s.sharingType());
      if (s.ownerUserProfileName() != null) {
        node.putObject("OwnershipSettingsSummary").put("OwnerUserProfileName", s.ownerUserProfileName());
      }
      return node;
    });
  }

  JsonNode describeSpace(JsonNode in) {
    Space s = space(in.path("DomainId").asText(), in.path("SpaceName").asText());
    ObjectNode node = common(s);
    node.put("SpaceArn", world.spaceArn(s.domainId(), s.name()));
    if (s.settings() != null) {
      node.set("SpaceSettings", s.settings().deepCopy());
    }
    node.putObject("SpaceSharingSettings").put("SharingType", s.sharingType());
    if (s.ownerUserProfileName() != null) {
      node.putObject("OwnershipSettings").put("OwnerUserProfileName", s.ownerUserProfileName());
    }
    return node;
  }

  /**
   * The model checks the name and the settings' shapes; here: the domain and the owner must exist,
   * sharing and ownership come together (a private space has an owner), a name is taken while its
   * space exists, and a domain holds at most {@link StudioWorld.Limits#spacesPerDomain()} spaces.
   */
  JsonNode createSpace(JsonNode in) {
    String domainId = in.path("DomainId").asText();
    String name = in.path("SpaceName").asText();
    domains.domain(domainId);
    boolean sharing = in.has("SpaceSharingSettings");
    boolean ownership = in.has("OwnershipSettings");
    if (sharing != ownership) {
      throw invalid("OwnershipSettings and SpaceSharingSettings must be given together");
    }
    String owner = ownership ? in.path("OwnershipSettings").path("OwnerUserProfileName").asText() : null;
    if (owner != null) {
      domains.profile(domainId, owner);
    }
    if (world.space(domainId, name).isPresent()) {
      throw inUse("Space " + world.spaceArn(domainId, name) + " already exists.");
    }
    int limit = world.limits().spacesPerDomain();
    if (world.spaces(domainId).size() >= limit) {
      throw limitExceeded("The domain " + domainId + " already has " + limit
          + " spaces, its limit; delete a space first.");
    }
    Space space = new Space(domainId, name, owner,
        sharing ? in.path("SpaceSharingSettings").path("SharingType").asText() : "Shared", world.now(),
        optional(in, "SpaceDisplayName"), in.has("SpaceSettings") ? in.get("SpaceSettings").deepCopy() : null);
    if (!world.createSpace(space, tags(in.path("Tags")))) {
      throw inUse("Space " + world.spaceArn(domainId, name) + " already exists.");
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("SpaceArn", world.spaceArn(domainId, name));
    return out;
  }

  /** A space goes only when every app in it is Deleted; it is then Deleting, then gone. */
  JsonNode deleteSpace(JsonNode in) {
    Space space = space(in.path("DomainId").asText(), in.path("SpaceName").asText());
    String arn = world.spaceArn(space.domainId(), space.name());
    if ("Deleting".equals(world.status(space))) {
      throw inUse("Space " + arn + " is already being deleted.");
    }
    List<String> running = world.apps().stream()
        .filter(a -> runsIn(a, space) && a.inUse())
        .map(a -> a.appType() + " " + a.appName() + " (" + a.status() + ")")
        .toList();
    if (!running.isEmpty()) {
      throw inUse("Space " + arn + " has apps that are not deleted: " + String.join(", ", running)
          + ". Delete them, and wait until they are Deleted, first.");
    }
    world.deleteSpace(space);
    return JSON.createObjectNode();
  }

  Space space(String domainId, String name) {
    domains.domain(domainId);
    return world.space(domainId, name).orElseThrow(() -> notFound("Space", world.spaceArn(domainId, name)));
  }

  private ObjectNode common(Space s) {
    ObjectNode node = JSON.createObjectNode();
    node.put("DomainId", s.domainId());
    node.put("SpaceName", s.name());
    node.put("Status", world.status(s));
    node.put("CreationTime", epoch(s.creationTime()));
    node.put("LastModifiedTime", epoch(s.creationTime()));
    if (s.displayName() != null) {
      node.put("SpaceDisplayName", s.displayName());
    }
    return node;
  }

  /** Whether {@code app} runs in {@code space}. */
  static boolean runsIn(App app, Space space) {
    return app.domainId().equals(space.domainId()) && space.name().equals(app.spaceName());
  }
}

package io.studiocp.emulators.sagemaker;

import static io.studiocp.emulators.sagemaker.StudioAnswers.JSON;
import static io.studiocp.emulators.sagemaker.StudioAnswers.epoch;
import static io.studiocp.emulators.sagemaker.StudioAnswers.invalid;
import static io.studiocp.emulators.sagemaker.StudioAnswers.notFound;
import static io.studiocp.emulators.sagemaker.StudioAnswers.optional;
import static io.studiocp.emulators.sagemaker.StudioAnswers.order;
import static io.studiocp.emulators.sagemaker.StudioAnswers.page;
import static io.studiocp.emulators.sagemaker.StudioAnswers.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.sagemaker.StudioWorld.Domain;
import io.studiocp.emulators.sagemaker.StudioWorld.Space;
import io.studiocp.emulators.sagemaker.StudioWorld.UserProfile;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/** Domains, user profiles, and the presigned URLs that sign a profile into its domain. */
final class DomainOperations {

  /** The landing pages SageMaker documents for LandingUri. */
  private static final Pattern LANDING_URI =
      Pattern.compile("studio::.*|app:(JupyterServer|JupyterLab|RStudioServerPro|CodeEditor|Canvas):.*");

  private final StudioWorld world;
  private final PresignedUrls urls;

  DomainOperations(StudioWorld world, PresignedUrls urls) {
    this.world = world;
    this.urls = urls;
  }

  JsonNode listDomains(JsonNode in) {
    return page(in, "Domains", world.domains(), 10, d -> {
      ObjectNode node = JSON.createObjectNode();
      node.put("DomainArn", world.domainArn(d.domainId()));
      node.put("DomainId", d.domainId());
      node.put("DomainName", d.domainName());
      node.put("Status", "InService");
      node.put("CreationTime", epoch(d.creationTime()));
      node.put("LastModifiedTime", epoch(d.creationTime()));
      node.put("Url", studioUrl(d.domainId()));
      return node;
    });
  }

  JsonNode describeDomain(JsonNode in) {
    Domain d = domain(in.path("DomainId").asText());
    ObjectNode node = JSON.createObjectNode();
    node.put("DomainArn", world.domainArn(d.domainId()));
    node.put("DomainId", d.domainId());
    node.put("DomainName", d.domainName());
    node.put("HomeEfsFileSystemId", d.homeEfsFileSystemId());
    node.put("Status", "InService");
    // SageMaker keeps SSO user values only in IAM Identity Center domains: a domain whose
    // profiles carry one is such a domain.
    node.put("AuthMode", world.userProfiles(d.domainId()).stream().anyMatch(p -> p.ssoUserValue() != null)
        ? "SSO" : "IAM");
    node.put("AppNetworkAccessType", "VpcOnly");
    node.put("VpcId", d.vpcId());
    node.put("Url", studioUrl(d.domainId()));
    node.put("CreationTime", epoch(d.creationTime()));
    node.put("LastModifiedTime", epoch(d.creationTime()));
    strings(node.putArray("SubnetIds"), d.subnetIds());
    ObjectNode defaults = node.putObject("DefaultUserSettings");
    if (d.executionRole() != null) {
      defaults.put("ExecutionRole", d.executionRole());
    }
    strings(defaults.putArray("SecurityGroups"), d.securityGroups());
    return node;
  }

  JsonNode listUserProfiles(JsonNode in) {
    String domainId = optional(in, "DomainIdEquals");
    String contains = optional(in, "UserProfileNameContains");
    List<UserProfile> profiles = world.userProfiles(domainId).stream()
        .filter(p -> contains == null || p.name().contains(contains))
        .sorted(order(in, Comparator.comparing(UserProfile::creationTime).thenComparing(UserProfile::name)))
        .toList();
    return page(in, "UserProfiles", profiles, 10, p -> {
      ObjectNode node = JSON.createObjectNode();
      node.put("DomainId", p.domainId());
      node.put("UserProfileName", p.name());
      node.put("Status", "InService");
      node.put("CreationTime", epoch(p.creationTime()));
      node.put("LastModifiedTime", epoch(p.creationTime()));
      return node;
    });
  }

  JsonNode describeUserProfile(JsonNode in) {
    UserProfile p = profile(in.path("DomainId").asText(), in.path("UserProfileName").asText());
    ObjectNode node = JSON.createObjectNode();
    node.put("DomainId", p.domainId());
    node.put("UserProfileArn", world.userProfileArn(p.domainId(), p.name()));
    node.put("UserProfileName", p.name());
    node.put("HomeEfsFileSystemUid", Long.toString(p.homeEfsUid()));
    node.put("Status", "InService");
    node.put("CreationTime", epoch(p.creationTime()));
    node.put("LastModifiedTime", epoch(p.creationTime()));
    if (p.ssoUserValue() != null) {
      node.put("SingleSignOnUserIdentifier", "UserName");
      node.put("SingleSignOnUserValue", p.ssoUserValue());
    }
    ObjectNode settings = node.putObject("UserSettings");
    if (p.executionRole() != null) {
      settings.put("ExecutionRole", p.executionRole());
    }
    strings(settings.putArray("SecurityGroups"), p.securityGroups());
    if (!p.customFileSystems().isEmpty()) {
      ArrayNode configs = settings.putArray("CustomFileSystemConfigs");
      p.customFileSystems().forEach(fs -> configs.addObject().putObject("EFSFileSystemConfig")
          .put("FileSystemId", fs.fileSystemId())
          .put("FileSystemPath", fs.fileSystemPath()));
    }
    return node;
  }

  /**
   * The model bounds ExpiresInSeconds (5-300) and SessionExpirationDurationInSeconds (1800-43200);
   * here: the profile, and the space, must exist; a private space opens only for its owner.
   */
  JsonNode createPresignedDomainUrl(JsonNode in) {
    UserProfile profile = profile(in.path("DomainId").asText(), in.path("UserProfileName").asText());
    String spaceName = optional(in, "SpaceName");
    if (spaceName != null) {
      Space space = world.space(profile.domainId(), spaceName)
          .filter(s -> !"Deleting".equals(world.status(s)))
          .orElseThrow(() -> notFound("Space", world.spaceArn(profile.domainId(), spaceName)));
      if ("Private".equals(space.sharingType()) && !profile.name().equals(space.ownerUserProfileName())) {
        throw invalid("Space " + spaceName + " is private to " + space.ownerUserProfileName()
            + "; user profile " + profile.name() + " cannot open it");
      }
    }
    String landingUri = optional(in, "LandingUri");
    if (landingUri != null && !LANDING_URI.matcher(landingUri).matches()) {
      throw invalid("LandingUri " + landingUri + " is not supported: use studio::<path> or "
          + "app:<JupyterServer|JupyterLab|RStudioServerPro|CodeEditor|Canvas>:<path>");
    }
    Duration expiresIn = Duration.ofSeconds(in.path("ExpiresInSeconds").asLong(300));
    Duration session = Duration.ofSeconds(in.path("SessionExpirationDurationInSeconds").asLong(43200));
    ObjectNode out = JSON.createObjectNode();
    out.put("AuthorizedUrl", urls.issue(profile.domainId(), profile.name(), spaceName, landingUri, world.now(),
        expiresIn, session));
    return out;
  }

  Domain domain(String domainId) {
    return world.domain(domainId).orElseThrow(() -> notFound("Domain", world.domainArn(domainId)));
  }

  UserProfile profile(String domainId, String name) {
    domain(domainId);
    return world.userProfile(domainId, name)
        .orElseThrow(() -> notFound("User profile", world.userProfileArn(domainId, name)));
  }

  private String studioUrl(String domainId) {
    return "https://" + domainId + ".studio." + world.region() + ".sagemaker.aws";
  }
}

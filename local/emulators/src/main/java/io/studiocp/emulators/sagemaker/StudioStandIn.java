package io.studiocp.emulators.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.http.AwsJsonError;
import io.studiocp.emulators.http.AwsJsonServer;
import io.studiocp.emulators.sagemaker.StudioWorld.App;
import io.studiocp.emulators.sagemaker.StudioWorld.Domain;
import io.studiocp.emulators.sagemaker.StudioWorld.Space;
import io.studiocp.emulators.sagemaker.StudioWorld.UserProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A SageMaker Studio stand-in speaking the real SageMaker JSON 1.1 protocol, for the operations
 * moto lacks: domains, user profiles, spaces, apps, tags and presigned URLs.
 *
 * <p>It answers what the control plane calls, with the real shapes, pagination and error codes.
 * For tests and benchmarks it can answer a share of calls with {@code ThrottlingException} and
 * add latency to each call, and it counts calls per operation.
 */
public final class StudioStandIn implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final StudioWorld world;
  private final AwsJsonServer server;
  private final AwsJsonServer tagging;
  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
  private final Random random = new Random(42);
  private volatile double throttleRate;
  private volatile Duration latency = Duration.ZERO;

  private StudioStandIn(StudioWorld world, int port) {
    this.world = world;
    this.server = AwsJsonServer.start(port, "SageMaker", "1.1", this::handle);
    this.tagging = AwsJsonServer.start(0, "ResourceGroupsTaggingAPI_20170126", "1.1", this::handleTagging);
  }

  /** Serves {@code world} on 127.0.0.1:{@code port} (0 picks a free port). */
  public static StudioStandIn start(StudioWorld world, int port) {
    return new StudioStandIn(world, port);
  }

  public StudioWorld world() {
    return world;
  }

  public String endpoint() {
    return server.endpoint();
  }

  /** The Resource Groups Tagging API over the same resources (for SageMaker ARNs). */
  public String taggingEndpoint() {
    return tagging.endpoint();
  }

  /** Answers this share of calls (0 to 1) with ThrottlingException, as SageMaker does under load. */
  public void throttle(double rate) {
    this.throttleRate = rate;
  }

  /** Adds this delay to every call. */
  public void latency(Duration delay) {
    this.latency = delay;
  }

  /** Calls per operation since the start or the last {@link #resetCalls()}, throttled ones included. */
  public Map<String, Long> calls() {
    Map<String, Long> copy = new TreeMap<>();
    calls.forEach((op, n) -> copy.put(op, n.get()));
    return copy;
  }

  public long totalCalls() {
    return calls.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public void resetCalls() {
    calls.clear();
  }

  private JsonNode handle(String operation, ObjectNode in) {
    count(operation);
    return switch (operation) {
      case "ListDomains" -> listDomains(in);
      case "DescribeDomain" -> describeDomain(in);
      case "ListUserProfiles" -> listUserProfiles(in);
      case "DescribeUserProfile" -> describeUserProfile(in);
      case "ListSpaces" -> listSpaces(in);
      case "DescribeSpace" -> describeSpace(in);
      case "ListApps" -> listApps(in);
      case "DescribeApp" -> describeApp(in);
      case "DeleteApp" -> deleteApp(in);
      case "ListTags" -> listTags(in);
      case "AddTags" -> addTags(in);
      case "DeleteTags" -> deleteTags(in);
      case "CreatePresignedDomainUrl" -> presignedUrl(in);
      default -> throw new AwsJsonError("UnknownOperationException",
          "the SageMaker stand-in does not implement " + operation);
    };
  }

  private JsonNode handleTagging(String operation, ObjectNode in) {
    count("tagging:" + operation);
    return switch (operation) {
      case "GetResources" -> getResources(in);
      case "TagResources" -> tagResources(in, true);
      case "UntagResources" -> tagResources(in, false);
      default -> throw new AwsJsonError("UnknownOperationException",
          "the tagging stand-in does not implement " + operation);
    };
  }

  /** Counts the call, then plays the configured latency and throttling. */
  private void count(String operation) {
    calls.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    if (!latency.isZero()) {
      try {
        Thread.sleep(latency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (throttleRate > 0 && nextRandom() < throttleRate) {
      throw new AwsJsonError("ThrottlingException", "Rate exceeded");
    }
  }

  /** {@code sagemaker:app} for an app's ARN: the service and the resource type. */
  private static String resourceType(String arn) {
    String[] parts = arn.split(":", 6);
    String resource = parts.length == 6 ? parts[5] : "";
    return parts[2] + ":" + resource.substring(0, Math.max(0, resource.indexOf('/')));
  }

  private JsonNode getResources(ObjectNode in) {
    List<String> types = new ArrayList<>();
    in.path("ResourceTypeFilters").forEach(t -> types.add(t.asText()));
    Map<String, List<String>> filters = new LinkedHashMap<>();
    in.path("TagFilters").forEach(f -> {
      List<String> values = new ArrayList<>();
      f.path("Values").forEach(v -> values.add(v.asText()));
      filters.put(f.path("Key").asText(), values);
    });
    int perPage = in.path("ResourcesPerPage").asInt(50);
    if (perPage < 1 || perPage > 100) {
      throw new AwsJsonError("InvalidParameterException", "ResourcesPerPage must be from 1 to 100");
    }
    List<Map.Entry<String, Map<String, String>>> matching = world.taggedResources().entrySet().stream()
        .filter(e -> types.isEmpty() || types.contains(resourceType(e.getKey()))
            || types.contains(resourceType(e.getKey()).split(":")[0]))
        .filter(e -> filters.entrySet().stream().allMatch(f -> e.getValue().containsKey(f.getKey())
            && (f.getValue().isEmpty() || f.getValue().contains(e.getValue().get(f.getKey())))))
        .toList();
    int start = 0;
    String token = optionalText(in, "PaginationToken");
    if (token != null) {
      try {
        start = Integer.parseInt(token.substring(token.indexOf('-') + 1));
      } catch (RuntimeException e) {
        throw new AwsJsonError("PaginationTokenExpiredException", "PaginationToken is invalid");
      }
    }
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("ResourceTagMappingList");
    int end = Math.min(matching.size(), start + perPage);
    for (int i = start; i < end; i++) {
      ObjectNode mapping = list.addObject();
      mapping.put("ResourceARN", matching.get(i).getKey());
      ArrayNode tags = mapping.putArray("Tags");
      matching.get(i).getValue().forEach((k, v) -> tags.addObject().put("Key", k).put("Value", v));
    }
    out.put("PaginationToken", end < matching.size() ? "page-" + end : "");
    return out;
  }

  private JsonNode tagResources(ObjectNode in, boolean add) {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode failed = out.putObject("FailedResourcesMap");
    if (in.path("ResourceARNList").size() > 20) {
      throw new AwsJsonError("InvalidParameterException", "ResourceARNList holds at most 20 ARNs");
    }
    for (JsonNode arnNode : in.path("ResourceARNList")) {
      String arn = arnNode.asText();
      if (!world.knowsArn(arn)) {
        failed.putObject(arn).put("StatusCode", 404).put("ErrorCode", "InvalidParameterException")
            .put("ErrorMessage", "Resource " + arn + " does not exist");
        continue;
      }
      if (add) {
        Map<String, String> tags = new LinkedHashMap<>();
        in.path("Tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        world.tag(arn, tags);
      } else {
        List<String> keys = new ArrayList<>();
        in.path("TagKeys").forEach(k -> keys.add(k.asText()));
        world.untag(arn, keys);
      }
    }
    return out;
  }

  private synchronized double nextRandom() {
    return random.nextDouble();
  }

  // ---- domains -------------------------------------------------------------------------------

  private JsonNode listDomains(ObjectNode in) {
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

  private JsonNode describeDomain(ObjectNode in) {
    Domain d = domain(text(in, "DomainId"));
    ObjectNode node = JSON.createObjectNode();
    node.put("DomainArn", world.domainArn(d.domainId()));
    node.put("DomainId", d.domainId());
    node.put("DomainName", d.domainName());
    node.put("HomeEfsFileSystemId", d.homeEfsFileSystemId());
    node.put("Status", "InService");
    node.put("AuthMode", "IAM");
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

  private Domain domain(String domainId) {
    return world.domain(domainId).orElseThrow(() -> notFound("Domain", world.domainArn(domainId)));
  }

  // ---- user profiles -------------------------------------------------------------------------

  private JsonNode listUserProfiles(ObjectNode in) {
    String domainId = optionalText(in, "DomainIdEquals");
    String contains = optionalText(in, "UserProfileNameContains");
    List<UserProfile> profiles = world.userProfiles(domainId).stream()
        .filter(p -> contains == null || p.name().contains(contains))
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

  private JsonNode describeUserProfile(ObjectNode in) {
    String domainId = text(in, "DomainId");
    String name = text(in, "UserProfileName");
    domain(domainId);
    UserProfile p = world.userProfile(domainId, name)
        .orElseThrow(() -> notFound("User profile", world.userProfileArn(domainId, name)));
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

  // ---- spaces --------------------------------------------------------------------------------

  private JsonNode listSpaces(ObjectNode in) {
    String domainId = optionalText(in, "DomainIdEquals");
    return page(in, "Spaces", world.spaces(domainId), 10, this::spaceSummary);
  }

  private ObjectNode spaceSummary(Space s) {
    ObjectNode node = JSON.createObjectNode();
    node.put("DomainId", s.domainId());
    node.put("SpaceName", s.name());
    node.put("Status", "InService");
    node.put("CreationTime", epoch(s.creationTime()));
    node.put("LastModifiedTime", epoch(s.creationTime()));
    node.putObject("SpaceSharingSettingsSummary").put("SharingType", s.sharingType());
    if (s.ownerUserProfileName() != null) {
      node.putObject("OwnershipSettingsSummary")
          .put("OwnerUserProfileName", s.ownerUserProfileName());
    }
    return node;
  }

  private JsonNode describeSpace(ObjectNode in) {
    String domainId = text(in, "DomainId");
    String name = text(in, "SpaceName");
    Space s = world.space(domainId, name)
        .orElseThrow(() -> notFound("Space", world.spaceArn(domainId, name)));
    ObjectNode node = spaceSummary(s);
    node.put("SpaceArn", world.spaceArn(domainId, name));
    node.remove("SpaceSharingSettingsSummary");
    node.remove("OwnershipSettingsSummary");
    node.putObject("SpaceSharingSettings").put("SharingType", s.sharingType());
    if (s.ownerUserProfileName() != null) {
      node.putObject("OwnershipSettings").put("OwnerUserProfileName", s.ownerUserProfileName());
    }
    return node;
  }

  // ---- apps ----------------------------------------------------------------------------------

  private JsonNode listApps(ObjectNode in) {
    String domainId = optionalText(in, "DomainIdEquals");
    String profile = optionalText(in, "UserProfileNameEquals");
    String space = optionalText(in, "SpaceNameEquals");
    if ((profile != null || space != null) && domainId == null) {
      throw new AwsJsonError("ValidationException",
          "DomainIdEquals is required with UserProfileNameEquals or SpaceNameEquals");
    }
    Predicate<App> matches = a -> (domainId == null || a.domainId().equals(domainId))
        && (profile == null || profile.equals(a.userProfileName()))
        && (space == null || space.equals(a.spaceName()));
    Comparator<App> order = Comparator.comparing(App::creationTime);
    if (!"Ascending".equals(optionalText(in, "SortOrder"))) {
      order = order.reversed();
    }
    List<App> apps = world.apps().stream().filter(matches).sorted(order).toList();
    return page(in, "Apps", apps, 10, this::appDetails);
  }

  private ObjectNode appDetails(App a) {
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

  private JsonNode describeApp(ObjectNode in) {
    App app = findApp(in);
    ObjectNode node = appDetails(app);
    node.put("AppArn", world.appArn(app));
    return node;
  }

  private JsonNode deleteApp(ObjectNode in) {
    App app = findApp(in);
    if (!"InService".equals(app.status) && !"Pending".equals(app.status)) {
      throw new AwsJsonError("ResourceInUse", "App " + world.appArn(app) + " is " + app.status);
    }
    app.status = "Deleted";
    return JSON.createObjectNode();
  }

  private App findApp(ObjectNode in) {
    String domainId = text(in, "DomainId");
    String profile = optionalText(in, "UserProfileName");
    String space = optionalText(in, "SpaceName");
    String type = text(in, "AppType");
    String name = text(in, "AppName");
    return world.apps().stream()
        .filter(a -> a.domainId().equals(domainId) && a.appType().equals(type)
            && a.appName().equals(name)
            && (profile == null || profile.equals(a.userProfileName()))
            && (space == null || space.equals(a.spaceName())))
        .max(Comparator.comparing(App::creationTime))
        .orElseThrow(() -> new AwsJsonError("ResourceNotFound",
            "App with name " + name + " does not exist"));
  }

  // ---- tags and URLs -------------------------------------------------------------------------

  private JsonNode listTags(ObjectNode in) {
    String arn = text(in, "ResourceArn");
    requireKnown(arn);
    List<Map.Entry<String, String>> tags = new ArrayList<>(world.tagsOf(arn).entrySet());
    tags.sort(Map.Entry.comparingByKey());
    return page(in, "Tags", tags, 50, e -> {
      ObjectNode node = JSON.createObjectNode();
      node.put("Key", e.getKey());
      node.put("Value", e.getValue());
      return node;
    });
  }

  private JsonNode addTags(ObjectNode in) {
    String arn = text(in, "ResourceArn");
    requireKnown(arn);
    Map<String, String> tags = new LinkedHashMap<>();
    in.path("Tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
    world.tag(arn, tags);
    ObjectNode out = JSON.createObjectNode();
    out.set("Tags", in.path("Tags"));
    return out;
  }

  private JsonNode deleteTags(ObjectNode in) {
    String arn = text(in, "ResourceArn");
    requireKnown(arn);
    List<String> keys = new ArrayList<>();
    in.path("TagKeys").forEach(k -> keys.add(k.asText()));
    world.untag(arn, keys);
    return JSON.createObjectNode();
  }

  private void requireKnown(String arn) {
    if (!world.knowsArn(arn)) {
      throw new AwsJsonError("ResourceNotFound", "Resource " + arn + " does not exist");
    }
  }

  private JsonNode presignedUrl(ObjectNode in) {
    String domainId = text(in, "DomainId");
    domain(domainId);
    String profile = text(in, "UserProfileName");
    world.userProfile(domainId, profile)
        .orElseThrow(() -> notFound("User profile", world.userProfileArn(domainId, profile)));
    String space = optionalText(in, "SpaceName");
    ObjectNode out = JSON.createObjectNode();
    out.put("AuthorizedUrl", studioUrl(domainId) + "/auth?token=local-" + profile
        + (space == null ? "" : "&space=" + space));
    return out;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private <T> ObjectNode page(ObjectNode in, String field, List<T> items, int defaultMax,
      Function<T, ObjectNode> render) {
    int max = in.path("MaxResults").asInt(defaultMax);
    if (max < 1 || max > 100) {
      throw new AwsJsonError("ValidationException", "MaxResults must be between 1 and 100");
    }
    int start = 0;
    String token = optionalText(in, "NextToken");
    if (token != null) {
      try {
        start = Integer.parseInt(token.substring(token.indexOf('-') + 1));
      } catch (RuntimeException e) {
        throw new AwsJsonError("ValidationException", "NextToken is invalid");
      }
    }
    ObjectNode out = JSON.createObjectNode();
    ArrayNode array = out.putArray(field);
    int end = Math.min(items.size(), start + max);
    for (int i = start; i < end; i++) {
      array.add(render.apply(items.get(i)));
    }
    if (end < items.size()) {
      out.put("NextToken", "page-" + end);
    }
    return out;
  }

  private String studioUrl(String domainId) {
    return "https://" + domainId + ".studio." + world.region() + ".sagemaker.aws";
  }

  private static AwsJsonError notFound(String what, String arn) {
    return new AwsJsonError("ResourceNotFound", what + " " + arn + " does not exist.");
  }

  private static String text(ObjectNode in, String field) {
    String value = optionalText(in, field);
    if (value == null) {
      throw new AwsJsonError("ValidationException", field + " is required");
    }
    return value;
  }

  private static String optionalText(ObjectNode in, String field) {
    JsonNode value = in.get(field);
    return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static double epoch(Instant time) {
    return time.toEpochMilli() / 1000.0;
  }

  @Override
  public void close() {
    server.close();
    tagging.close();
  }
}

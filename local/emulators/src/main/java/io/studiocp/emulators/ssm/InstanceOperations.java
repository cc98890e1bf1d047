package io.studiocp.emulators.ssm;

import static io.studiocp.emulators.ssm.ActivationOperations.epochSeconds;
import static io.studiocp.emulators.ssm.ActivationOperations.tags;
import static io.studiocp.emulators.ssm.ActivationOperations.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.http.AwsJsonError;
import io.studiocp.emulators.http.Pages;
import io.studiocp.emulators.ssm.SsmWorld.ManagedInstance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Managed nodes: registered by an agent, described, tagged and deregistered as SSM does. */
final class InstanceOperations {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The filter keys DescribeInstanceInformation documents, besides {@code tag-key} and {@code tag:<key>}. */
  private static final Set<String> FILTER_KEYS = Set.of("InstanceIds", "AgentVersion", "PingStatus", "PlatformTypes",
      "ActivationIds", "IamRole", "ResourceType", "AssociationStatus", "SourceIds", "SourceTypes");

  /** "Most resources can have a maximum of 50 tags" (AddTagsToResource). */
  private static final int MAX_TAGS = 50;

  private final SsmWorld world;

  InstanceOperations(SsmWorld world) {
    this.world = world;
  }

  /** The agent's registration call ({@code amazon-ssm-agent -register}); the agent sends it unsigned. */
  JsonNode registerManagedInstance(JsonNode in) {
    ManagedInstance instance = world.register(in.path("ActivationId").asText(), in.path("ActivationCode").asText(),
        SsmWorld.Registration.linux("localhost", "127.0.0.1"));
    ObjectNode out = JSON.createObjectNode();
    out.put("InstanceId", instance.instanceId());
    return out;
  }

  /**
   * The deprecated InstanceInformationFilterList or Filters, not both; tag filters ({@code tag-key},
   * {@code tag:<key>}) mix with no other filter; ResourceType takes one value; every filter must
   * match (any of its values); InstanceIds must all be known nodes.
   */
  JsonNode describeInstanceInformation(JsonNode in) {
    if (in.has("InstanceInformationFilterList") && in.has("Filters")) {
      throw new AwsJsonError("ValidationException",
          "InstanceInformationFilterList and Filters cannot be used together; use Filters");
    }
    Map<String, List<String>> filters = new TreeMap<>();
    in.path("InstanceInformationFilterList").forEach(f -> filters.put(f.path("key").asText(), values(f.path("valueSet"))));
    in.path("Filters").forEach(f -> filters.put(f.path("Key").asText(), values(f.path("Values"))));
    boolean tagFilters = filters.keySet().stream().anyMatch(InstanceOperations::isTagFilter);
    if (tagFilters && filters.keySet().stream().anyMatch(k -> !isTagFilter(k))) {
      throw new AwsJsonError("ValidationException", "Cannot mix tag or inventory filter with any other filter.");
    }
    Predicate<ManagedInstance> matches = i -> true;
    for (Map.Entry<String, List<String>> filter : filters.entrySet()) {
      matches = matches.and(filter(filter.getKey(), filter.getValue()));
    }
    List<ManagedInstance> matching = world.instances().stream().filter(matches).toList();
    Pages.Page<ManagedInstance> page = Pages.of(matching, text(in, "NextToken"),
        in.has("MaxResults") ? in.get("MaxResults").asInt() : null, 10, "InvalidNextToken");
    Instant now = world.now();
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("InstanceInformationList");
    page.items().forEach(i -> list.add(information(i, now)));
    if (page.nextToken() != null) {
      out.put("NextToken", page.nextToken());
    }
    return out;
  }

  JsonNode deregisterManagedInstance(JsonNode in) {
    String id = in.path("InstanceId").asText();
    if (world.instance(id).filter(i -> "ManagedInstance".equals(i.resourceType())).isEmpty()
        || !world.deregister(id)) {
      throw new AwsJsonError("InvalidInstanceId", "Instance " + id + " is not a registered managed node");
    }
    return JSON.createObjectNode();
  }

  JsonNode addTagsToResource(JsonNode in) {
    ManagedInstance instance = taggable(in);
    Map<String, String> tags = tags(in.path("Tags"));
    Map<String, String> after = new HashMap<>(instance.tags());
    after.putAll(tags);
    if (after.size() > MAX_TAGS) {
      throw new AwsJsonError("TooManyTagsError", "Managed node " + instance.instanceId() + " would have "
          + after.size() + " tags; a managed node can have at most " + MAX_TAGS);
    }
    world.tag(instance.instanceId(), tags);
    return JSON.createObjectNode();
  }

  JsonNode listTagsForResource(JsonNode in) {
    ManagedInstance instance = taggable(in);
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("TagList");
    new TreeMap<>(instance.tags()).forEach((k, v) -> list.addObject().put("Key", k).put("Value", v));
    return out;
  }

  JsonNode removeTagsFromResource(JsonNode in) {
    ManagedInstance instance = taggable(in);
    world.untag(instance.instanceId(), values(in.path("TagKeys")));
    return JSON.createObjectNode();
  }

  /** A registered {@code mi-} node: an EC2 instance is not tagged through SSM. */
  private ManagedInstance taggable(JsonNode in) {
    String id = in.path("ResourceId").asText();
    if (id.startsWith("i-")) {
      throw new AwsJsonError("InvalidResourceType", "Resource " + id
          + " is an EC2 instance; the ManagedInstance type is for hybrid (mi-) nodes only");
    }
    return world.instance(id).filter(i -> "ManagedInstance".equals(i.resourceType()))
        .orElseThrow(() -> new AwsJsonError("InvalidResourceId", "The resource ID " + id + " is not valid"));
  }

  private Predicate<ManagedInstance> filter(String key, List<String> values) {
    if (key.equals("tag-key")) {
      return i -> values.stream().anyMatch(i.tags()::containsKey);
    }
    if (key.startsWith("tag:")) {
      String tag = key.substring("tag:".length());
      return i -> values.contains(i.tags().get(tag));
    }
    if (!FILTER_KEYS.contains(key)) {
      throw new AwsJsonError("InvalidFilterKey", "The filter key " + key + " is not valid");
    }
    return switch (key) {
      case "InstanceIds" -> {
        for (String id : values) {
          if (world.instance(id).isEmpty()) {
            throw new AwsJsonError("InvalidInstanceId", "Instance " + id + " is not a managed node of this account");
          }
        }
        yield i -> values.contains(i.instanceId());
      }
      case "ResourceType" -> {
        if (values.size() != 1) {
          throw new AwsJsonError("InvalidInstanceInformationFilterValue", "ResourceType filter may contain only one value.");
        }
        oneOf(key, values, List.of("ManagedInstance", "EC2Instance"));
        yield i -> values.contains(i.resourceType());
      }
      case "PingStatus" -> {
        oneOf(key, values, List.of("Online", "ConnectionLost", "Inactive"));
        yield i -> values.contains(i.pingStatus());
      }
      case "PlatformTypes" -> {
        oneOf(key, values, List.of("Windows", "Linux", "MacOS"));
        yield i -> values.contains("Linux");
      }
      case "ActivationIds" -> i -> values.contains(i.activationId());
      case "IamRole" -> i -> values.contains(i.iamRole());
      case "AgentVersion" -> i -> values.contains(i.registration().agentVersion());
      case "SourceIds" -> i -> values.contains(i.instanceId());
      case "SourceTypes" -> i -> values.contains(sourceType(i));
      default -> i -> false; // AssociationStatus: the stand-in runs no associations
    };
  }

  private static void oneOf(String key, List<String> values, List<String> allowed) {
    for (String value : values) {
      if (!allowed.contains(value)) {
        throw new AwsJsonError("InvalidInstanceInformationFilterValue", "The " + key + " filter value " + value
            + " is not valid: use one of " + String.join(", ", allowed));
      }
    }
  }

  private static boolean isTagFilter(String key) {
    return key.equals("tag-key") || key.startsWith("tag:");
  }

  private static String sourceType(ManagedInstance i) {
    return "ManagedInstance".equals(i.resourceType()) ? "AWS::SSM::ManagedInstance" : "AWS::EC2::Instance";
  }

  private static ObjectNode information(ManagedInstance i, Instant now) {
    ObjectNode node = JSON.createObjectNode();
    node.put("InstanceId", i.instanceId());
    node.put("PingStatus", i.pingStatus());
    node.put("LastPingDateTime", epochSeconds(i.lastPing(now)));
    node.put("AgentVersion", i.registration().agentVersion());
    node.put("IsLatestVersion", true);
    node.put("PlatformType", "Linux");
    node.put("PlatformName", i.registration().platformName());
    node.put("PlatformVersion", i.registration().platformVersion());
    if (i.activationId() != null) {
      node.put("ActivationId", i.activationId());
    }
    if (i.iamRole() != null) {
      node.put("IamRole", i.iamRole());
    }
    node.put("RegistrationDate", epochSeconds(i.registrationDate()));
    node.put("ResourceType", i.resourceType());
    if (i.name() != null) {
      node.put("Name", i.name());
    }
    node.put("IPAddress", i.registration().ipAddress());
    node.put("ComputerName", i.registration().computerName());
    node.put("SourceId", i.instanceId());
    node.put("SourceType", sourceType(i));
    return node;
  }

  private static List<String> values(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}

package io.studiocp.emulators.sagemaker;

import static io.studiocp.emulators.sagemaker.StudioAnswers.JSON;
import static io.studiocp.emulators.sagemaker.StudioAnswers.optional;
import static io.studiocp.emulators.sagemaker.StudioAnswers.optionalInt;
import static io.studiocp.emulators.sagemaker.StudioAnswers.page;
import static io.studiocp.emulators.sagemaker.StudioAnswers.tags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.http.AwsJsonError;
import io.studiocp.emulators.http.Pages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Tags of Studio resources: SageMaker's own tag operations, and the Resource Groups Tagging API's. */
final class TagOperations {

  private final StudioWorld world;

  TagOperations(StudioWorld world) {
    this.world = world;
  }

  JsonNode listTags(JsonNode in) {
    String arn = known(in.path("ResourceArn").asText());
    List<Map.Entry<String, String>> tags = new ArrayList<>(world.tagsOf(arn).entrySet());
    tags.sort(Map.Entry.comparingByKey());
    return page(in, "Tags", tags, 50, e -> {
      ObjectNode node = JSON.createObjectNode();
      node.put("Key", e.getKey());
      node.put("Value", e.getValue());
      return node;
    });
  }

  JsonNode addTags(JsonNode in) {
    String arn = known(in.path("ResourceArn").asText());
    world.tag(arn, tags(in.path("Tags")));
    ObjectNode out = JSON.createObjectNode();
    out.set("Tags", in.path("Tags").deepCopy());
    return out;
  }

  JsonNode deleteTags(JsonNode in) {
    String arn = known(in.path("ResourceArn").asText());
    List<String> keys = new ArrayList<>();
    in.path("TagKeys").forEach(k -> keys.add(k.asText()));
    world.untag(arn, keys);
    return JSON.createObjectNode();
  }

  private String known(String arn) {
    if (!world.knowsArn(arn)) {
      throw new AwsJsonError("ResourceNotFound", "Resource " + arn + " does not exist.");
    }
    return arn;
  }

  // ---- Resource Groups Tagging API ------------------------------------------------------------

  JsonNode getResources(JsonNode in) {
    boolean byArn = in.has("ResourceARNList");
    if (byArn && (in.has("TagFilters") || in.has("ResourceTypeFilters") || in.has("ResourcesPerPage")
        || in.has("TagsPerPage") || in.has("PaginationToken"))) {
      throw new AwsJsonError("InvalidParameterException", "ResourceARNList cannot be combined with TagFilters, "
          + "ResourceTypeFilters, ResourcesPerPage, TagsPerPage or PaginationToken");
    }
    if (byArn && in.path("ResourceARNList").size() > 100) {
      throw new AwsJsonError("InvalidParameterException", "ResourceARNList takes at most 100 ARNs");
    }
    Integer perPage = optionalInt(in, "ResourcesPerPage");
    if (perPage != null && (perPage < 1 || perPage > 100)) {
      throw new AwsJsonError("InvalidParameterException", "ResourcesPerPage must be from 1 to 100");
    }
    Set<String> arns = new HashSet<>();
    in.path("ResourceARNList").forEach(a -> arns.add(a.asText()));
    List<String> types = new ArrayList<>();
    in.path("ResourceTypeFilters").forEach(t -> types.add(t.asText()));
    Map<String, List<String>> filters = new LinkedHashMap<>();
    in.path("TagFilters").forEach(f -> {
      List<String> values = new ArrayList<>();
      f.path("Values").forEach(v -> values.add(v.asText()));
      filters.put(f.path("Key").asText(), values);
    });
    List<Map.Entry<String, Map<String, String>>> matching = (byArn ? world.taggedResources(arns)
        : world.taggedResources()).entrySet().stream()
        .filter(e -> !byArn || arns.contains(e.getKey()))
        .filter(e -> types.isEmpty() || types.contains(resourceType(e.getKey()))
            || types.contains(resourceType(e.getKey()).split(":")[0]))
        .filter(e -> filters.entrySet().stream().allMatch(f -> e.getValue().containsKey(f.getKey())
            && (f.getValue().isEmpty() || f.getValue().contains(e.getValue().get(f.getKey())))))
        .toList();
    // A list of ARNs (at most 100) is answered whole: it takes no pagination parameters.
    Pages.Page<Map.Entry<String, Map<String, String>>> page = byArn ? new Pages.Page<>(matching, null)
        : Pages.of(matching, optional(in, "PaginationToken"), perPage, 50, "PaginationTokenExpiredException");
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("ResourceTagMappingList");
    for (Map.Entry<String, Map<String, String>> resource : page.items()) {
      ObjectNode mapping = list.addObject();
      mapping.put("ResourceARN", resource.getKey());
      ArrayNode tags = mapping.putArray("Tags");
      resource.getValue().forEach((k, v) -> tags.addObject().put("Key", k).put("Value", v));
    }
    out.put("PaginationToken", page.nextToken() == null ? "" : page.nextToken());
    return out;
  }

  JsonNode tagResources(JsonNode in, boolean add) {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode failed = out.putObject("FailedResourcesMap");
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

  /** {@code sagemaker:app} for an app's ARN: the service and the resource type. */
  private static String resourceType(String arn) {
    String[] parts = arn.split(":", 6);
    String resource = parts.length == 6 ? parts[5] : "";
    return parts[2] + ":" + resource.substring(0, Math.max(0, resource.indexOf('/')));
  }
}

package io.studiocp.emulators.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.http.AwsJsonError;
import io.studiocp.emulators.http.Pages;
import io.studiocp.emulators.ssm.SsmWorld.Activation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Hybrid activations: created, listed and deleted as SSM does. */
final class ActivationOperations {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SsmWorld world;

  ActivationOperations(SsmWorld world) {
    this.world = world;
  }

  /**
   * The model bounds the lengths, RegistrationLimit (1-1000) and the tags; here: the expiration is
   * in the future and at most 30 days away (24 hours when not given), and IamRole is a role's name.
   */
  JsonNode createActivation(JsonNode in) {
    Instant now = world.now();
    Instant expiration = in.has("ExpirationDate") ? epoch(in.get("ExpirationDate"))
        : now.plus(SsmWorld.DEFAULT_EXPIRY);
    if (!expiration.isAfter(now)) {
      throw new AwsJsonError("ValidationException", "ExpirationDate " + expiration + " is in the past");
    }
    if (expiration.isAfter(now.plus(SsmWorld.MAX_EXPIRY))) {
      throw new AwsJsonError("ValidationException", "ExpirationDate " + expiration
          + " is more than 30 days away; an activation can last at most 30 days");
    }
    String iamRole = in.path("IamRole").asText();
    if (iamRole.startsWith("arn:")) {
      throw new AwsJsonError("ValidationException", "IamRole takes the role's name, not its ARN: " + iamRole);
    }
    Activation activation = world.createActivation(text(in, "Description"), text(in, "DefaultInstanceName"),
        iamRole, in.path("RegistrationLimit").asInt(1), expiration, tags(in.path("Tags")));
    ObjectNode out = JSON.createObjectNode();
    out.put("ActivationId", activation.activationId());
    out.put("ActivationCode", activation.activationCode());
    return out;
  }

  /** Filters by ActivationIds, DefaultInstanceName or IamRole (any of a filter's values, every filter). */
  JsonNode describeActivations(JsonNode in) {
    Predicate<Activation> matches = a -> true;
    for (JsonNode filter : in.path("Filters")) {
      List<String> values = new ArrayList<>();
      filter.path("FilterValues").forEach(v -> values.add(v.asText()));
      String key = filter.path("FilterKey").asText();
      Predicate<Activation> one = switch (key) {
        case "ActivationIds" -> a -> values.contains(a.activationId());
        case "DefaultInstanceName" -> a -> values.contains(a.defaultInstanceName());
        case "IamRole" -> a -> values.contains(a.iamRole());
        default -> throw new AwsJsonError("InvalidFilter", "The filter key " + key + " is not valid");
      };
      matches = matches.and(one);
    }
    List<Activation> matching = world.activations().stream().filter(matches).toList();
    Pages.Page<Activation> page = Pages.of(matching, text(in, "NextToken"),
        in.has("MaxResults") ? in.get("MaxResults").asInt() : null, 10, "InvalidNextToken");
    Instant now = world.now();
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("ActivationList");
    for (Activation a : page.items()) {
      ObjectNode node = list.addObject();
      node.put("ActivationId", a.activationId());
      if (a.description() != null) {
        node.put("Description", a.description());
      }
      if (a.defaultInstanceName() != null) {
        node.put("DefaultInstanceName", a.defaultInstanceName());
      }
      node.put("IamRole", a.iamRole());
      node.put("RegistrationLimit", a.registrationLimit());
      node.put("RegistrationsCount", a.registrations());
      node.put("ExpirationDate", epochSeconds(a.expirationDate()));
      node.put("Expired", a.expired(now));
      node.put("CreatedDate", epochSeconds(a.createdDate()));
      ArrayNode tags = node.putArray("Tags");
      a.tags().forEach((k, v) -> tags.addObject().put("Key", k).put("Value", v));
    }
    if (page.nextToken() != null) {
      out.put("NextToken", page.nextToken());
    }
    return out;
  }

  /** Deleting an activation stops new registrations; the nodes it registered stay. */
  JsonNode deleteActivation(JsonNode in) {
    String id = in.path("ActivationId").asText();
    if (!world.deleteActivation(id)) {
      throw new AwsJsonError("InvalidActivationId", "The activation ID " + id + " is not valid");
    }
    return JSON.createObjectNode();
  }

  static Map<String, String> tags(JsonNode list) {
    Map<String, String> tags = new LinkedHashMap<>();
    list.forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText("")));
    return tags;
  }

  static String text(JsonNode in, String field) {
    JsonNode value = in.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  static double epochSeconds(Instant time) {
    return time.toEpochMilli() / 1000.0;
  }

  private static Instant epoch(JsonNode seconds) {
    return Instant.ofEpochMilli(Math.round(seconds.asDouble() * 1000));
  }
}

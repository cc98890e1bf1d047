package io.studiocp.functions.api.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.HostRequest;
import io.studiocp.platform.Rejection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Reads a {@code POST /hosts} body into a draft: one JSON object, only the known fields, each of
 * its JSON type. The values themselves are the policy's to judge ({@link HostPolicy#complete}).
 */
final class HostRequestBody {

  static final String EXAMPLE = "{\"instanceType\": \"m5.xlarge\"}";
  static final List<String> FIELDS = List.of("instanceType", "subnetId", "volumeGiB", "ttlHours", "extraPorts");

  static final String EXTEND_EXAMPLE = "{\"ttlHours\": 4}";

  private HostRequestBody() {}

  /** The body of an extend: {@code {"ttlHours": N}} and nothing else. */
  static int ttlHours(JsonNode body, HostPolicy policy) {
    if (!(body instanceof ObjectNode object)) {
      throw new Rejection(Rejection.Kind.INVALID, "InvalidBody", "the body must be a JSON object such as "
          + EXTEND_EXAMPLE);
    }
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("ttlHours")) {
        throw new Rejection(Rejection.Kind.INVALID, "UnknownField", field + ": unknown field; the only field is ttlHours");
      }
    }
    return whole(object.get("ttlHours"), "ttlHours", policy.ttlHours())
        .orElseThrow(() -> Rejection.invalid("ttlHours", "is required, for example " + EXTEND_EXAMPLE));
  }

  /** @param policy where the whole-number fields' bounds come from, for the message that names them */
  static HostRequest.Draft draft(JsonNode body, HostPolicy policy) {
    if (!(body instanceof ObjectNode object)) {
      throw new Rejection(Rejection.Kind.INVALID, "InvalidBody", "the body must be a JSON object such as " + EXAMPLE);
    }
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw new Rejection(Rejection.Kind.INVALID, "UnknownField", field + ": unknown field; the fields are "
            + String.join(", ", FIELDS));
      }
    }
    return new HostRequest.Draft(
        text(object.get("instanceType"), "instanceType", "must be a string such as \"m5.xlarge\""),
        text(object.get("subnetId"), "subnetId", "must be a subnet id such as \"subnet-0abc1234\", got "
            + object.get("subnetId")),
        whole(object.get("volumeGiB"), "volumeGiB", policy.volumeGiB()),
        whole(object.get("ttlHours"), "ttlHours", policy.ttlHours()),
        ports(object.get("extraPorts")));
  }

  private static Optional<String> text(JsonNode node, String field, String problem) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw Rejection.invalid(field, problem);
    }
    return Optional.of(node.asText());
  }

  private static Optional<Integer> whole(JsonNode node, String field, HostPolicy.Range range) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw Rejection.invalid(field, "must be a whole number from " + range.min() + " to " + range.max()
          + ", got " + node);
    }
    return Optional.of(node.asInt());
  }

  private static List<Integer> ports(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw Rejection.invalid("extraPorts", "must be a list of port numbers such as [8888]");
    }
    List<Integer> ports = new ArrayList<>();
    for (JsonNode port : node) {
      if (!port.isIntegralNumber() || !port.canConvertToInt()) {
        throw Rejection.invalid("extraPorts", "must hold whole numbers, got " + port);
      }
      ports.add(port.asInt());
    }
    return ports;
  }
}

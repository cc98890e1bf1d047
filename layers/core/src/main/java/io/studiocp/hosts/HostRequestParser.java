package io.studiocp.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.platform.RequestRejected;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a {@code POST /hosts} body. Every problem is rejected with the field named and what to
 * change; nothing the caller did not ask for is guessed.
 */
public final class HostRequestParser {

  static final List<String> FIELDS = List.of("instanceType", "subnetId", "volumeGiB", "ttlHours", "extraPorts");
  private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
  private static final Pattern SUBNET_ID = Pattern.compile("subnet-[0-9a-f]{8,17}");
  private static final int MAX_EXTRA_PORTS = 5;

  private final HostPolicy policy;

  public HostRequestParser(HostPolicy policy) {
    this.policy = policy;
  }

  public HostRequest parse(JsonNode body) {
    if (!(body instanceof ObjectNode object)) {
      throw RequestRejected.badRequest("InvalidBody", "the body must be a JSON object such as "
          + "{\"instanceType\": \"m5.xlarge\"}");
    }
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw new RequestRejected(400, "UnknownField", field + ": unknown field; the fields are "
            + String.join(", ", FIELDS));
      }
    }
    return new HostRequest(instanceType(object.get("instanceType")), subnetId(object.get("subnetId")),
        integer(object.get("volumeGiB"), "volumeGiB", policy.defaultVolumeGiB(),
            HostPolicy.MIN_VOLUME_GIB, policy.maxVolumeGiB()),
        integer(object.get("ttlHours"), "ttlHours", policy.defaultTtlHours(), 1, policy.maxTtlHours()),
        extraPorts(object.get("extraPorts")));
  }

  private String instanceType(JsonNode node) {
    if (node == null || node.isNull()) {
      throw RequestRejected.invalid("instanceType", "is required, for example \"m5.xlarge\"");
    }
    if (!node.isTextual()) {
      throw RequestRejected.invalid("instanceType", "must be a string such as \"m5.xlarge\"");
    }
    String type = node.asText();
    if (type.startsWith("ml.")) {
      throw RequestRejected.invalid("instanceType", "'" + type + "' is a SageMaker instance type; "
          + "use the EC2 name '" + type.substring(3) + "'");
    }
    if (!INSTANCE_TYPE.matcher(type).matches()) {
      throw RequestRejected.invalid("instanceType", "'" + type + "' is not an EC2 instance type "
          + "such as \"m5.xlarge\"");
    }
    if (!policy.allows(type)) {
      throw RequestRejected.invalid("instanceType", type + " is not allowed here; allowed: "
          + policy.allowedInstanceTypes().stream().map(InstanceTypePattern::text)
              .collect(Collectors.joining(", ")));
    }
    return type;
  }

  private static String subnetId(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual() || !SUBNET_ID.matcher(node.asText()).matches()) {
      throw RequestRejected.invalid("subnetId", "must be a subnet id such as \"subnet-0abc1234\", got "
          + node);
    }
    return node.asText();
  }

  private static int integer(JsonNode node, String field, int defaultValue, int min, int max) {
    if (node == null || node.isNull()) {
      return defaultValue;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw RequestRejected.invalid(field, "must be a whole number from " + min + " to " + max
          + ", got " + node);
    }
    int value = node.asInt();
    if (value < min || value > max) {
      throw RequestRejected.invalid(field, "must be from " + min + " to " + max + ", got " + value);
    }
    return value;
  }

  private List<Integer> extraPorts(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw RequestRejected.invalid("extraPorts", "must be a list of port numbers such as [8888]");
    }
    if (node.size() > MAX_EXTRA_PORTS) {
      throw RequestRejected.invalid("extraPorts", "at most " + MAX_EXTRA_PORTS + " ports, got "
          + node.size());
    }
    List<Integer> ports = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (JsonNode port : node) {
      if (!port.isIntegralNumber() || !port.canConvertToInt()) {
        throw RequestRejected.invalid("extraPorts", "must hold whole numbers, got " + port);
      }
      int value = port.asInt();
      if (value < 1024 || value > 65535) {
        throw RequestRejected.invalid("extraPorts", value + " is outside 1024-65535");
      }
      if (value == policy.dockerPort()) {
        throw RequestRejected.invalid("extraPorts", value + " is the Docker port; it is always open");
      }
      if (value == HostPolicy.LOCAL_ENDPOINT_PORT) {
        throw RequestRejected.invalid("extraPorts", "8080 is always open for local endpoints; leave it out");
      }
      if (!seen.add(value)) {
        throw RequestRejected.invalid("extraPorts", value + " is listed twice");
      }
      ports.add(value);
    }
    return ports;
  }
}

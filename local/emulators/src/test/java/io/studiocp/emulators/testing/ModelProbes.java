package io.studiocp.emulators.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.model.ServiceModel;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Requests that break an operation's model, derived from botocore's model: each required member
 * left out, an unknown member, each member of the wrong JSON type, and each string or number just
 * outside its length, range, pattern or enum. AWS refuses each before it looks at anything else.
 */
public final class ModelProbes {

  /** One broken request, the error AWS answers it with, and the member its message names. */
  public record Probe(String operation, String description, ObjectNode body, String error, String member) {}

  private ModelProbes() {}

  /** Probes of {@code operation}, each a variant of {@code valid} (a request the model accepts). */
  public static List<Probe> of(ServiceModel model, String operation, ObjectNode valid) {
    String input = model.operation(operation).orElseThrow().input();
    JsonNode shape = model.shape(input);
    List<Probe> probes = new ArrayList<>();
    List<String> required = new ArrayList<>();
    shape.path("required").forEach(r -> required.add(r.asText()));
    for (String member : required) {
      ObjectNode body = valid.deepCopy();
      body.remove(member);
      probes.add(new Probe(operation, "without " + member, body, "ValidationException", camel(member)));
    }
    ObjectNode unknown = valid.deepCopy();
    unknown.put("NotAMemberOf" + input, "x");
    probes.add(new Probe(operation, "with an unknown member", unknown, "SerializationException", "NotAMemberOf"));
    for (var member : shape.path("members").properties()) {
      String name = member.getKey();
      JsonNode target = model.shape(member.getValue().path("shape").asText());
      String type = target.path("type").asText();
      ObjectNode wrongType = valid.deepCopy();
      if (type.equals("string") || type.equals("timestamp") && target.has("timestampFormat")) {
        wrongType.put(name, 12);
      } else {
        wrongType.put(name, "not-a-" + type);
      }
      probes.add(new Probe(operation, name + " of the wrong type", wrongType, "SerializationException", camel(name)));
      for (var bad : outOfBounds(target)) {
        ObjectNode body = valid.deepCopy();
        body.set(name, bad.value());
        probes.add(new Probe(operation, name + " " + bad.why(), body, "ValidationException", camel(name)));
      }
    }
    return probes;
  }

  private record Bad(JsonNode value, String why) {}

  private static List<Bad> outOfBounds(JsonNode shape) {
    var nodes = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    List<Bad> bad = new ArrayList<>();
    switch (shape.path("type").asText()) {
      case "string" -> {
        if (shape.has("enum")) {
          bad.add(new Bad(nodes.textNode("NotAnEnumValue"), "outside its enum"));
        }
        if (shape.has("max")) {
          bad.add(new Bad(nodes.textNode("a".repeat(shape.get("max").asInt() + 1)), "longer than its max"));
        }
        if (shape.path("min").asInt(0) > 0) {
          bad.add(new Bad(nodes.textNode(""), "shorter than its min"));
        }
        if (shape.has("pattern")) {
          Pattern pattern = Pattern.compile(shape.get("pattern").asText());
          for (String candidate : List.of("bad_name!", " ", "x")) {
            int length = candidate.length();
            boolean fitsLength = length >= shape.path("min").asInt(0) && length <= shape.path("max").asInt(Integer.MAX_VALUE);
            if (fitsLength && !pattern.matcher(candidate).matches()) {
              bad.add(new Bad(nodes.textNode(candidate), "not matching its pattern"));
              break;
            }
          }
        }
      }
      case "integer", "long" -> {
        if (shape.has("min")) {
          bad.add(new Bad(nodes.numberNode(shape.get("min").asLong() - 1), "below its min"));
        }
        if (shape.has("max")) {
          bad.add(new Bad(nodes.numberNode(shape.get("max").asLong() + 1), "above its max"));
        }
      }
      case "list" -> {
        if (shape.path("min").asInt(0) > 0) {
          bad.add(new Bad(nodes.arrayNode(), "empty under its min"));
        }
      }
      default -> { }
    }
    return bad;
  }

  private static String camel(String member) {
    return Character.toLowerCase(member.charAt(0)) + member.substring(1);
  }
}

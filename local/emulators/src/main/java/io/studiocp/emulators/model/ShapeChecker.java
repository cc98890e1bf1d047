package io.studiocp.emulators.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks a JSON document against a shape of a {@link ServiceModel}, as an AWS JSON-protocol
 * service reads a request: members it does not know and values of the wrong JSON type are
 * serialization problems; a missing required member, a length, range, pattern or enum outside the
 * model is a constraint problem, described in the words AWS uses ("Member must ...").
 *
 * <p>Requests are checked in full. Answers are checked for what a client relies on (member names,
 * required members, types and enums) but not for lengths, ranges and patterns, which the model
 * states for inputs: AWS itself answers, say, a {@code RegistrationsCount} of 0 under a minimum of 1.
 */
public final class ShapeChecker {

  /** How far to check. */
  public enum Scope { REQUEST, RESPONSE }

  /** {@code SERIALIZATION}: not a document of that shape; {@code CONSTRAINT}: the shape, but out of bounds. */
  public enum Kind { SERIALIZATION, CONSTRAINT }

  /**
   * One problem. {@code path} is AWS's ({@code tags.1.member.key}); {@code value} what was there
   * (null when absent or sensitive).
   */
  public record Problem(Kind kind, String path, String value, String message) {

    /** As AWS words a constraint problem: {@code Value 'x' at 'spaceName' failed to satisfy constraint: ...}. */
    public String describe() {
      if (kind == Kind.SERIALIZATION) {
        return message;
      }
      String shown = value == null ? "null" : "'" + value + "'";
      return "Value " + shown + " at '" + path + "' failed to satisfy constraint: " + message;
    }
  }

  private final ServiceModel model;
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  public ShapeChecker(ServiceModel model) {
    this.model = model;
  }

  public List<Problem> check(String shapeName, JsonNode value, Scope scope) {
    List<Problem> problems = new ArrayList<>();
    check(shapeName, value, "", scope, problems);
    return problems;
  }

  /** AWS's message for constraint problems: {@code 2 validation errors detected: ...; ...}. */
  public static String validationMessage(List<Problem> constraintProblems) {
    int n = constraintProblems.size();
    StringBuilder message = new StringBuilder()
        .append(n).append(n == 1 ? " validation error detected: " : " validation errors detected: ");
    for (int i = 0; i < n; i++) {
      message.append(i == 0 ? "" : "; ").append(constraintProblems.get(i).describe());
    }
    return message.toString();
  }

  private void check(String shapeName, JsonNode value, String path, Scope scope, List<Problem> problems) {
    JsonNode shape = model.shape(shapeName);
    String type = shape.path("type").asText();
    switch (type) {
      case "structure" -> structure(shapeName, shape, value, path, scope, problems);
      case "list" -> {
        if (!value.isArray()) {
          problems.add(wrongType(path, shapeName, "a JSON array", value));
          return;
        }
        if (scope == Scope.REQUEST) {
          bounds(shape, value.size(), "length", path, value.toString(), problems);
        }
        String member = shape.path("member").path("shape").asText();
        for (int i = 0; i < value.size(); i++) {
          check(member, value.get(i), path + "." + (i + 1) + ".member", scope, problems);
        }
      }
      case "map" -> {
        if (!value.isObject()) {
          problems.add(wrongType(path, shapeName, "a JSON object", value));
          return;
        }
        if (scope == Scope.REQUEST) {
          bounds(shape, value.size(), "length", path, value.toString(), problems);
        }
        String key = shape.path("key").path("shape").asText();
        String entry = shape.path("value").path("shape").asText();
        value.properties().forEach(e -> {
          check(key, TextNode.valueOf(e.getKey()), path + "." + e.getKey() + ".key", scope, problems);
          check(entry, e.getValue(), path + "." + e.getKey() + ".value", scope, problems);
        });
      }
      case "string" -> string(shapeName, shape, value, path, scope, problems);
      case "integer", "long" -> {
        boolean fits = type.equals("integer") ? value.canConvertToInt() : value.canConvertToLong();
        if (!value.isIntegralNumber() || !fits) {
          problems.add(wrongType(path, shapeName, "a whole number (" + type + ")", value));
          return;
        }
        if (scope == Scope.REQUEST) {
          bounds(shape, value.asLong(), "value", path, value.asText(), problems);
        }
      }
      case "float", "double" -> {
        if (!value.isNumber()) {
          problems.add(wrongType(path, shapeName, "a number", value));
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          problems.add(wrongType(path, shapeName, "true or false", value));
        }
      }
      case "timestamp" -> {
        boolean iso = "iso8601".equals(shape.path("timestampFormat").asText());
        if (iso ? !value.isTextual() : !value.isNumber()) {
          problems.add(wrongType(path, shapeName, iso ? "an ISO-8601 string" : "epoch seconds (a number)", value));
        }
      }
      case "blob" -> {
        if (!value.isTextual() || !base64(value.asText())) {
          problems.add(wrongType(path, shapeName, "a base64 string", value));
        }
      }
      default -> throw new IllegalStateException("shape " + shapeName + " has a type this checker does not know: "
          + type);
    }
  }

  private void structure(String shapeName, JsonNode shape, JsonNode value, String path, Scope scope,
      List<Problem> problems) {
    if (!value.isObject()) {
      problems.add(wrongType(path, shapeName, "a JSON object", value));
      return;
    }
    JsonNode members = shape.path("members");
    value.properties().forEach(e -> {
      if (!members.has(e.getKey())) {
        problems.add(new Problem(Kind.SERIALIZATION, join(path, e.getKey()), null,
            "Unknown member '" + e.getKey() + "' in " + shapeName + (path.isEmpty() ? "" : " at '" + path + "'")
                + ": the model has no such member"));
      }
    });
    List<String> required = new ArrayList<>();
    shape.path("required").forEach(r -> required.add(r.asText()));
    int present = 0;
    for (var member : members.properties()) {
      JsonNode given = value.get(member.getKey());
      String memberPath = join(path, member.getKey());
      if (given == null || given.isNull()) {
        if (required.contains(member.getKey())) {
          problems.add(new Problem(Kind.CONSTRAINT, memberPath, null, "Member must not be null"));
        }
        continue;
      }
      present++;
      check(member.getValue().path("shape").asText(), given, memberPath, scope, problems);
    }
    if (shape.path("union").asBoolean(false) && present != 1) {
      problems.add(new Problem(Kind.SERIALIZATION, path, null,
          shapeName + (path.isEmpty() ? "" : " at '" + path + "'") + " is a union: set exactly one of its members, not "
              + present));
    }
  }

  private void string(String shapeName, JsonNode shape, JsonNode value, String path, Scope scope,
      List<Problem> problems) {
    if (!value.isTextual()) {
      problems.add(wrongType(path, shapeName, "a JSON string", value));
      return;
    }
    String text = value.asText();
    String shown = shape.path("sensitive").asBoolean(false) ? null : text;
    if (scope == Scope.REQUEST && shape.has("pattern")
        && !pattern(shape.get("pattern").asText()).matcher(text).matches()) {
      problems.add(new Problem(Kind.CONSTRAINT, path, shown,
          "Member must satisfy regular expression pattern: " + shape.get("pattern").asText()));
    }
    if (scope == Scope.REQUEST) {
      bounds(shape, text.codePointCount(0, text.length()), "length", path, shown, problems);
    }
    if (shape.has("enum")) {
      List<String> allowed = new ArrayList<>();
      shape.get("enum").forEach(v -> allowed.add(v.asText()));
      if (!allowed.contains(text)) {
        problems.add(new Problem(Kind.CONSTRAINT, path, shown,
            "Member must satisfy enum value set: [" + String.join(", ", allowed) + "]"));
      }
    }
  }

  private static void bounds(JsonNode shape, long actual, String what, String path, String shown,
      List<Problem> problems) {
    if (shape.has("min") && actual < shape.get("min").asLong()) {
      problems.add(new Problem(Kind.CONSTRAINT, path, shown,
          "Member must have " + what + " greater than or equal to " + shape.get("min").asLong()));
    }
    if (shape.has("max") && actual > shape.get("max").asLong()) {
      problems.add(new Problem(Kind.CONSTRAINT, path, shown,
          "Member must have " + what + " less than or equal to " + shape.get("max").asLong()));
    }
  }

  private Pattern pattern(String regex) {
    return patterns.computeIfAbsent(regex, Pattern::compile);
  }

  private static Problem wrongType(String path, String shapeName, String expected, JsonNode value) {
    String where = path.isEmpty() ? "the body" : "'" + path + "'";
    return new Problem(Kind.SERIALIZATION, path, null, "Cannot read " + where + ": expected " + expected
        + " (" + shapeName + "), found " + describe(value));
  }

  private static String describe(JsonNode value) {
    return switch (value.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "the number " + value.asText();
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> value.getNodeType().name().toLowerCase();
    };
  }

  private static boolean base64(String text) {
    try {
      Base64.getDecoder().decode(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** AWS names members in lower camel case in its messages: {@code SpaceName} is {@code spaceName}. */
  private static String join(String path, String member) {
    String name = Character.toLowerCase(member.charAt(0)) + member.substring(1);
    return path.isEmpty() ? name : path + "." + name;
  }
}

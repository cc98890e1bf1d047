package io.studiocp.emulators.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An ASL reference path: {@code $}, {@code $.a.b}, {@code $['a']}, {@code $.a[0]}, or the same
 * rooted at the context object ({@code $$.Task.Token}). Anything else (wildcards, filters,
 * slices, intrinsic functions) is refused when the definition loads.
 */
final class ReferencePath {

  private final String text;
  private final boolean context;
  private final List<Object> steps; // String field names and Integer indexes

  private ReferencePath(String text, boolean context, List<Object> steps) {
    this.text = text;
    this.context = context;
    this.steps = steps;
  }

  static ReferencePath parse(String text) {
    if (text.startsWith("States.")) {
      throw new IllegalArgumentException("intrinsic function '" + text
          + "' is not supported by the local executor");
    }
    boolean context = text.startsWith("$$");
    if (!text.startsWith("$")) {
      throw new IllegalArgumentException("'" + text + "' is not a path (it must start with $)");
    }
    int i = context ? 2 : 1;
    List<Object> steps = new ArrayList<>();
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
          end++;
        }
        String name = text.substring(i + 1, end);
        if (name.isEmpty() || name.equals("*") || name.contains("..")) {
          throw unsupported(text);
        }
        steps.add(name);
        i = end;
      } else if (c == '[') {
        int end = text.indexOf(']', i);
        if (end < 0) {
          throw unsupported(text);
        }
        String inside = text.substring(i + 1, end).trim();
        if (inside.startsWith("'") && inside.endsWith("'") && inside.length() >= 2) {
          steps.add(inside.substring(1, inside.length() - 1));
        } else if (inside.matches("\\d+")) {
          steps.add(Integer.parseInt(inside));
        } else {
          throw unsupported(text);
        }
        i = end + 1;
      } else {
        throw unsupported(text);
      }
    }
    return new ReferencePath(text, context, List.copyOf(steps));
  }

  private static IllegalArgumentException unsupported(String text) {
    return new IllegalArgumentException("path '" + text
        + "' uses JSONPath syntax the local executor does not support (only $.a.b, $['a'], $.a[0])");
  }

  boolean isContext() {
    return context;
  }

  /** The value at this path, or empty when the path leads nowhere. */
  Optional<JsonNode> read(JsonNode input, JsonNode contextObject) {
    JsonNode node = context ? contextObject : input;
    for (Object step : steps) {
      if (node == null) {
        return Optional.empty();
      }
      node = step instanceof Integer index ? node.get(index) : node.get((String) step);
    }
    return Optional.ofNullable(node);
  }

  /** Reads the path or fails as Step Functions does when a path matches nothing. */
  JsonNode require(JsonNode input, JsonNode contextObject, String where) {
    return read(input, contextObject).orElseThrow(() -> new StateFailure("States.Runtime",
        "An error occurred while executing the state '" + where + "'. The JSONPath '" + text
            + "' could not be found in the input '" + input + "'"));
  }

  /** {@code target} with the value placed at this path (a ResultPath), creating objects on the way. */
  JsonNode write(JsonNode target, JsonNode value, String where) {
    if (context) {
      throw new StateFailure("States.Runtime", "ResultPath cannot be a context path in " + where);
    }
    if (steps.isEmpty()) {
      return value;
    }
    JsonNode root = target == null || !target.isObject() ? JsonNodeFactory.instance.objectNode()
        : target.deepCopy();
    JsonNode node = root;
    for (int i = 0; i < steps.size(); i++) {
      Object step = steps.get(i);
      boolean last = i == steps.size() - 1;
      if (step instanceof Integer index) {
        if (!(node instanceof ArrayNode array) || index >= array.size()) {
          throw new StateFailure("States.Runtime", "ResultPath '" + text + "' cannot be applied in "
              + where);
        }
        if (last) {
          array.set(index, value);
        } else {
          node = array.get(index);
        }
      } else {
        if (!(node instanceof ObjectNode object)) {
          throw new StateFailure("States.Runtime", "ResultPath '" + text + "' cannot be applied in "
              + where);
        }
        String name = (String) step;
        if (last) {
          object.set(name, value);
        } else {
          JsonNode child = object.get(name);
          if (child == null || !child.isObject()) {
            child = object.putObject(name);
          }
          node = child;
        }
      }
    }
    return root;
  }

  @Override
  public String toString() {
    return text;
  }
}

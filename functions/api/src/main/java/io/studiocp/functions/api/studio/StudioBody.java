package io.studiocp.functions.api.studio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.platform.Rejection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the /studio bodies and queries: one JSON object, only the known fields, each of its JSON type. */
final class StudioBody {

  static final String URL_EXAMPLE = "{\"space\": \"my-project\", \"app\": \"jupyterlab\"} (or {} for Studio's home)";
  static final List<String> URL_FIELDS = List.of("space", "app", "sessionExpirationSeconds", "expiresInSeconds");
  static final String SPACE_EXAMPLE = "{\"name\": \"my-project\", \"shared\": false}";
  static final List<String> SPACE_FIELDS = List.of("name", "shared", "app");

  private StudioBody() {}

  static ObjectNode object(JsonNode body, List<String> fields, String example) {
    if (!(body instanceof ObjectNode object)) {
      throw new Rejection(Rejection.Kind.INVALID, "InvalidBody", "the body must be a JSON object such as " + example);
    }
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!fields.contains(field)) {
        throw new Rejection(Rejection.Kind.INVALID, "UnknownField", field + ": unknown field; the fields are "
            + String.join(", ", fields));
      }
    }
    return object;
  }

  static Optional<String> text(ObjectNode body, String field, String example) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw Rejection.invalid(field, "must be a string such as \"" + example + "\", got " + node);
    }
    return Optional.of(node.asText());
  }

  static Optional<Integer> whole(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw Rejection.invalid(field, "must be a whole number of seconds, got " + node);
    }
    return Optional.of(node.asInt());
  }

  static Optional<Boolean> bool(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isBoolean()) {
      throw Rejection.invalid(field, "must be true or false, got " + node);
    }
    return Optional.of(node.asBoolean());
  }

  /** A query flag: absent is {@code otherwise}; only "true" and "false" are flags. */
  static boolean flag(Map<String, String> query, String name, boolean otherwise) {
    String value = query.get(name);
    if (value == null) {
      return otherwise;
    }
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw Rejection.invalid(name, "must be true or false, got '" + value + "'");
    };
  }
}

package io.studiocp.emulators.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.http.AwsJsonError;
import io.studiocp.emulators.http.Pages;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What the Studio stand-in's operations share: SageMaker's errors, times, tags and pages. */
final class StudioAnswers {

  static final ObjectMapper JSON = new ObjectMapper();

  private StudioAnswers() {}

  static AwsJsonError notFound(String what, String arn) {
    return new AwsJsonError("ResourceNotFound", what + " " + arn + " does not exist.");
  }

  static AwsJsonError inUse(String message) {
    return new AwsJsonError("ResourceInUse", message);
  }

  static AwsJsonError invalid(String message) {
    return new AwsJsonError("ValidationException", message);
  }

  static AwsJsonError limitExceeded(String message) {
    return new AwsJsonError("ResourceLimitExceeded", message);
  }

  /** The JSON protocol's timestamps: epoch seconds. */
  static double epoch(Instant time) {
    return time.toEpochMilli() / 1000.0;
  }

  static String optional(JsonNode in, String field) {
    JsonNode value = in.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  static Integer optionalInt(JsonNode in, String field) {
    JsonNode value = in.get(field);
    return value == null || value.isNull() ? null : value.asInt();
  }

  /** SageMaker's {@code Tags}: a list of {@code {"Key", "Value"}}. */
  static Map<String, String> tags(JsonNode list) {
    Map<String, String> tags = new LinkedHashMap<>();
    list.forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText("")));
    return tags;
  }

  static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  /** SageMaker's sort parameters: ascending unless {@code SortOrder} is Descending. */
  static <T> Comparator<T> order(JsonNode in, Comparator<T> ascending) {
    return "Descending".equals(optional(in, "SortOrder")) ? ascending.reversed() : ascending;
  }

  /** A page of {@code items} under {@code field}, with {@code NextToken} while there are more. */
  static <T> ObjectNode page(JsonNode in, String field, List<T> items, int defaultMax,
      Function<T, ObjectNode> render) {
    Pages.Page<T> page = Pages.of(items, optional(in, "NextToken"), optionalInt(in, "MaxResults"), defaultMax,
        "ValidationException");
    ObjectNode out = JSON.createObjectNode();
    ArrayNode array = out.putArray(field);
    page.items().forEach(item -> array.add(render.apply(item)));
    if (page.nextToken() != null) {
      out.put("NextToken", page.nextToken());
    }
    return out;
  }
}

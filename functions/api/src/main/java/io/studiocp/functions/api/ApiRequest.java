package io.studiocp.functions.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.platform.Json;
import io.studiocp.platform.RequestRejected;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the handler reads from an API Gateway proxy event. */
final class ApiRequest {

  private final APIGatewayProxyRequestEvent event;

  ApiRequest(APIGatewayProxyRequestEvent event) {
    this.event = event;
  }

  String method() {
    return Optional.ofNullable(event.getHttpMethod()).orElse("").toUpperCase(Locale.ROOT);
  }

  /** The matched resource, such as {@code /hosts/{hostId}}. */
  String resource() {
    return Optional.ofNullable(event.getResource()).orElse(Optional.ofNullable(event.getPath()).orElse(""));
  }

  String callerArn() {
    var context = event.getRequestContext();
    return context == null || context.getIdentity() == null ? null : context.getIdentity().getUserArn();
  }

  Optional<String> header(String name) {
    Map<String, String> headers = event.getHeaders();
    if (headers == null) {
      return Optional.empty();
    }
    return headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name) && e.getValue() != null && !e.getValue().isBlank())
        .map(e -> e.getValue().strip())
        .findFirst();
  }

  String pathParameter(String name) {
    Map<String, String> parameters = event.getPathParameters();
    return parameters == null ? null : parameters.get(name);
  }

  /** The query, refusing any parameter but those named. */
  Map<String, String> query(Set<String> allowed) {
    Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
    for (String name : query.keySet()) {
      if (!allowed.contains(name)) {
        throw new RequestRejected(400, "UnknownParameter", name + ": unknown query parameter"
            + (allowed.isEmpty() ? "; this call takes none" : "; this call takes " + String.join(", ", allowed)));
      }
    }
    return query;
  }

  JsonNode jsonBody() {
    String body = event.getBody();
    if (body == null || body.isBlank()) {
      throw RequestRejected.badRequest("InvalidBody", "the body is empty; send JSON such as "
          + "{\"instanceType\": \"m5.xlarge\"}");
    }
    if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
      body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
    }
    try {
      return Json.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      throw RequestRejected.badRequest("InvalidJson", "the body is not valid JSON: "
          + e.getOriginalMessage());
    }
  }
}

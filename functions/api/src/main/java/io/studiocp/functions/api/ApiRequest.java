package io.studiocp.functions.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.identity.Actor;
import io.studiocp.identity.ActorResolver;
import io.studiocp.platform.Json;
import io.studiocp.platform.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What a route reads from an API Gateway proxy event, and who sent it. */
public final class ApiRequest {

  private final APIGatewayProxyRequestEvent event;
  private final ActorResolver actors;
  private Actor actor;

  ApiRequest(APIGatewayProxyRequestEvent event, ActorResolver actors) {
    this.event = event;
    this.actors = actors;
  }

  public String method() {
    return Optional.ofNullable(event.getHttpMethod()).orElse("").toUpperCase(Locale.ROOT);
  }

  /** The matched resource, such as {@code /hosts/{hostId}}. */
  public String resource() {
    return Optional.ofNullable(event.getResource()).orElse(Optional.ofNullable(event.getPath()).orElse(""));
  }

  /**
   * Who the request acts as: the signing principal, and the Studio user it claims with
   * {@code X-Studio-Domain-Id} and {@code X-Studio-User-Profile}, once proved.
   */
  public Actor actor() {
    if (actor == null) {
      var context = event.getRequestContext();
      String callerArn = context == null || context.getIdentity() == null ? null : context.getIdentity().getUserArn();
      actor = actors.resolve(callerArn, header("X-Studio-Domain-Id"), header("X-Studio-User-Profile"));
    }
    return actor;
  }

  /** Who the request acted as, for the log: the Studio user, else the signing principal; empty before it was resolved. */
  Optional<String> resolvedActor() {
    return Optional.ofNullable(actor)
        .map(a -> a.user().map(u -> u.owner()).orElse(a.principal().arn()) + (a.admin() ? " (admin)" : ""));
  }

  public Optional<String> header(String name) {
    Map<String, String> headers = event.getHeaders();
    if (headers == null) {
      return Optional.empty();
    }
    return headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name) && e.getValue() != null && !e.getValue().isBlank())
        .map(e -> e.getValue().strip())
        .findFirst();
  }

  public String pathParameter(String name) {
    Map<String, String> parameters = event.getPathParameters();
    return parameters == null ? null : parameters.get(name);
  }

  /** The query, refusing any parameter but those named. */
  public Map<String, String> query(Set<String> allowed) {
    Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
    for (String name : query.keySet()) {
      if (!allowed.contains(name)) {
        throw new Rejection(Rejection.Kind.INVALID, "UnknownParameter", name + ": unknown query parameter"
            + (allowed.isEmpty() ? "; this call takes none" : "; this call takes " + String.join(", ", allowed)));
      }
    }
    return query;
  }

  /**
   * The body as one JSON document.
   *
   * @param example what a body of this call looks like, for the message when there is none
   */
  public JsonNode jsonBody(String example) {
    String body = event.getBody();
    if (body == null || body.isBlank()) {
      throw new Rejection(Rejection.Kind.INVALID, "InvalidBody", "the body is empty; send JSON such as " + example);
    }
    if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
      body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
    }
    try {
      return Json.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      throw new Rejection(Rejection.Kind.INVALID, "InvalidJson", "the body is not valid JSON: "
          + e.getOriginalMessage());
    }
  }
}

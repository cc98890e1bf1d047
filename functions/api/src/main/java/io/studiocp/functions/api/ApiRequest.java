package io.studiocp.functions.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
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

  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final String JSON = "application/json";

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
   * {@code X-Studio-Domain-Id} and {@code X-Studio-User-Profile} (or {@code X-Studio-Space-Name}, whose owner it
   * claims: the new Studio's app metadata names no profile), once proved.
   */
  public Actor actor() {
    if (actor == null) {
      var context = event.getRequestContext();
      String callerArn = context == null || context.getIdentity() == null ? null : context.getIdentity().getUserArn();
      actor = actors.resolve(callerArn, header("X-Studio-Domain-Id"), header("X-Studio-User-Profile"),
          header("X-Studio-Space-Name"));
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
   * The {@code Idempotency-Key} header, which every mutating call must send: a new key for each
   * new request and the same key on its retries, so a retried or replayed request is the same
   * request and never does the thing twice.
   */
  public String idempotencyKey() {
    return header(IDEMPOTENCY_KEY).orElseThrow(() -> new Rejection(Rejection.Kind.INVALID, "MissingHeader",
        IDEMPOTENCY_KEY + ": " + method() + " " + resource() + " changes something, so it needs the header "
            + IDEMPOTENCY_KEY + ": a new key (1 to 64 letters, digits, '-' or '_') for each new request, "
            + "the same key on its retries"));
  }

  /**
   * The body as exactly one JSON document, sent as {@code Content-Type: application/json}: not a
   * second document after it, not a key twice (a lenient reader would keep the last one, so what
   * was checked would not be what was meant).
   *
   * @param example what a body of this call looks like, for the message when there is none
   */
  public JsonNode jsonBody(String example) {
    requireJsonContentType(example);
    String body = event.getBody();
    if (body == null || body.isBlank()) {
      throw new Rejection(Rejection.Kind.INVALID, "InvalidBody", "the body is empty; send JSON such as " + example);
    }
    if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
      try {
        body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new Rejection(Rejection.Kind.INVALID, "InvalidBody", "the body is not valid base64");
      }
    }
    try {
      return Json.readOneDocument(body);
    } catch (Json.NotOneDocument e) {
      String code = e.problem() == Json.NotOneDocument.Problem.DUPLICATE_KEY ? "DuplicateField" : "InvalidJson";
      throw new Rejection(Rejection.Kind.INVALID, code, "the body is not one valid JSON document: " + e.getMessage());
    }
  }

  /**
   * Refuses a body on a call that takes none (stop, start, terminate): nothing, or an empty JSON
   * object, is taken; anything else is a 400 naming it, so a caller who meant an option learns
   * there is none instead of having it ignored.
   *
   * @param call the call, for the message ("POST /hosts/{hostId}/stop")
   */
  public void noBody(String call) {
    String body = event.getBody();
    if (body == null || body.isBlank()) {
      return;
    }
    JsonNode node = jsonBody("{}");
    if (!(node.isObject() && node.isEmpty())) {
      String got = node.isObject() ? "field '" + node.fieldNames().next() + "'" : node.getNodeType().name().toLowerCase();
      throw new Rejection(Rejection.Kind.INVALID, "UnexpectedBody", call + " takes no body (or {}); got " + got
          + ": send none");
    }
  }

  /** {@code application/json}, in any case, with no charset or UTF-8. */
  private void requireJsonContentType(String example) {
    String sent = header("Content-Type").orElse(null);
    String[] parts = sent == null ? new String[] {""} : sent.split(";");
    boolean json = parts[0].strip().equalsIgnoreCase(JSON);
    for (int i = 1; i < parts.length && json; i++) {
      String[] parameter = parts[i].split("=", 2);
      json = !parameter[0].strip().equalsIgnoreCase("charset") || (parameter.length == 2
          && parameter[1].strip().replace("\"", "").equalsIgnoreCase("utf-8"));
    }
    if (!json) {
      throw new HttpRefusal(415, "UnsupportedMediaType", (sent == null ? "the request has no Content-Type"
          : "Content-Type " + sent + " is not JSON") + "; send the body as Content-Type: " + JSON
          + " (UTF-8), such as " + example);
    }
  }
}

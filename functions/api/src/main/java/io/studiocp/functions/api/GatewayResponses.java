package io.studiocp.functions.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.platform.Json;
import java.util.List;
import java.util.Optional;

/**
 * What API Gateway answers itself, before the function runs (an unknown route, a bad signature,
 * throttling), in the product's {@code {"error", "message"}} shape. template.yaml declares exactly
 * these as the API's {@code GatewayResponses} (a test in deployment/ checks it) and the sandbox's
 * gateway answers with them, so a caller sees one error shape wherever an answer comes from.
 */
public final class GatewayResponses {

  /** Where the gateway's own message is kept ({@code $context.error.messageString}, a quoted JSON string). */
  private static final String GATEWAY_MESSAGE = "$context.error.messageString";
  /** Where the response type names the error ({@code MISSING_AUTHENTICATION_TOKEN}, ...). */
  private static final String RESPONSE_TYPE = "$context.error.responseType";

  /**
   * One gateway response.
   *
   * @param type API Gateway's response type
   * @param status the status it answers with; null keeps the gateway's own (the defaults)
   * @param code the error code; null names the response type
   * @param message the message; null keeps the gateway's own
   */
  public record Response(String type, Integer status, String code, String message) {

    /** The body the gateway sends for a case of this type. */
    public String body(String responseType, String gatewayMessage) {
      ObjectNode body = Json.mapper().createObjectNode()
          .put("error", code == null ? responseType : code)
          .put("message", message == null ? gatewayMessage : message);
      try {
        return Json.mapper().writeValueAsString(body);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The {@code application/json} response template template.yaml declares for it. */
    public String template() {
      return "{\"error\": " + (code == null ? "\"" + RESPONSE_TYPE + "\"" : quoted(code)) + ", \"message\": "
          + (message == null ? GATEWAY_MESSAGE : quoted(message)) + "}";
    }

    private static String quoted(String text) {
      try {
        return Json.mapper().writeValueAsString(text);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The routes, signed, as the message for an unknown route says. */
  static final String ROUTES = "POST /hosts, GET /hosts, GET /hosts/{hostId}, DELETE /hosts/{hostId}, "
      + "POST /hosts/{hostId}/stop, POST /hosts/{hostId}/start, POST /hosts/{hostId}/extend, GET /admin/report, "
      + "POST /studio/url, GET /studio/apps, DELETE /studio/apps, GET /studio/spaces, POST /studio/spaces, "
      + "DELETE /studio/spaces/{name}, POST /ssh/activations, GET /ssh/targets, DELETE /ssh/targets/{id}, "
      + "POST /ssh/targets/{id}/key, GET /ssh/spaces/{space}, POST /ssh/spaces/{space}/session";

  public static final List<Response> ALL = List.of(
      new Response("MISSING_AUTHENTICATION_TOKEN", 403, "MissingAuthenticationToken",
          "no such route, or the request is not signed: the API has " + ROUTES
              + ", each signed with AWS Signature Version 4 for execute-api (sdocker signs every call)"),
      new Response("INVALID_SIGNATURE", 403, "InvalidSignature", null),
      new Response("EXPIRED_TOKEN", 403, "ExpiredToken", null),
      new Response("ACCESS_DENIED", 403, "AccessDenied", null),
      new Response("THROTTLED", 429, "Throttled", "too many requests; retry in a few seconds"),
      new Response("REQUEST_TOO_LARGE", 413, "RequestTooLarge", null),
      new Response("DEFAULT_4XX", null, null, null),
      new Response("DEFAULT_5XX", null, null, null));

  private GatewayResponses() {}

  /** The response the gateway uses for a case of this type: its own, else the default of its class. */
  public static Response forType(String type, int status) {
    Optional<Response> own = ALL.stream().filter(r -> r.type().equals(type)).findFirst();
    return own.orElseGet(() -> ALL.stream().filter(r -> r.type().equals(status >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX"))
        .findFirst().orElseThrow());
  }
}

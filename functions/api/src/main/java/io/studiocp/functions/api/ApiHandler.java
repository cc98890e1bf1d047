package io.studiocp.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.hosts.Host;
import io.studiocp.identity.Actor;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.platform.RequestRejected;
import io.studiocp.platform.TransientAwsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The v1 REST API behind API Gateway (IAM auth). Resolves who calls, runs one use case, and maps
 * the result; every problem the caller can fix is a 4xx with {@code {"error", "message"}}, and
 * no stack trace ever leaves the function.
 */
public final class ApiHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
  private static final Set<String> LIST_QUERY = Set.of("owner", "all");

  private final ApiWiring api;

  public ApiHandler() {
    this(Env.system());
  }

  public ApiHandler(Env env) {
    this.api = ApiWiring.from(env);
  }

  /**
   * Lambda's entry point. The event is read with the layer's Jackson rather than the runtime's
   * own event deserializer, which would load a second JSON library at cold start.
   */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    APIGatewayProxyRequestEvent event = Json.mapper().readValue(input, APIGatewayProxyRequestEvent.class);
    Json.mapper().writeValue(output, handle(event, context));
  }

  private APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event, Context context) {
    return PowertoolsLogging.withLogging(context, () -> respond(new ApiRequest(event), context));
  }

  private APIGatewayProxyResponseEvent respond(ApiRequest request, Context context) {
    try {
      return route(request);
    } catch (RequestRejected e) {
      return json(e.status(), error(e.code(), e.getMessage()));
    } catch (TransientAwsException e) {
      LOG.warn("AWS is busy: {}", e.getMessage(), e);
      return json(503, error("ServiceUnavailable", "AWS is busy right now; retry in a few seconds"))
          .withHeaders(Map.of("Content-Type", "application/json", "Retry-After", "5"));
    } catch (RuntimeException e) {
      LOG.error("request failed", e);
      return json(500, error("InternalError", "the control plane failed to handle this request; "
          + "tell your admin the request id " + context.getAwsRequestId()));
    }
  }

  private APIGatewayProxyResponseEvent route(ApiRequest request) {
    String route = request.method() + " " + request.resource();
    return switch (route) {
      case "POST /hosts" -> {
        request.query(Set.of());
        Host host = api.requestHost().request(actor(request), request.jsonBody(), request.header("Idempotency-Key"));
        yield json(202, HostJson.render(host));
      }
      case "GET /hosts" -> {
        Map<String, String> query = request.query(LIST_QUERY);
        List<Host> hosts = api.queries().list(actor(request), Optional.ofNullable(query.get("owner")),
            allFlag(query.get("all")));
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode rendered = body.putArray("hosts");
        hosts.forEach(h -> rendered.add(HostJson.render(h)));
        yield json(200, body);
      }
      case "GET /hosts/{hostId}" -> {
        request.query(Set.of());
        yield json(200, HostJson.render(api.queries().describe(actor(request), request.pathParameter("hostId"))));
      }
      case "DELETE /hosts/{hostId}" -> {
        request.query(Set.of());
        yield json(202, HostJson.render(api.terminate().terminate(actor(request), request.pathParameter("hostId"))));
      }
      default -> throw isKnownResource(request.resource())
          ? new RequestRejected(405, "MethodNotAllowed", request.method() + " is not supported on " + request.resource())
          : RequestRejected.notFound("no such API route: " + request.method() + " " + request.resource());
    };
  }

  private static boolean isKnownResource(String resource) {
    return resource.equals("/hosts") || resource.equals("/hosts/{hostId}");
  }

  private Actor actor(ApiRequest request) {
    return api.actors().resolve(request.callerArn(), request.header("X-Studio-Domain-Id"),
        request.header("X-Studio-User-Profile"));
  }

  private static boolean allFlag(String value) {
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.equals("true")) {
      return true;
    }
    throw RequestRejected.invalid("all", "must be true or false, got '" + value + "'");
  }

  private static ObjectNode error(String code, String message) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("error", code);
    node.put("message", message);
    return node;
  }

  private static APIGatewayProxyResponseEvent json(int status, JsonNode body) {
    try {
      return new APIGatewayProxyResponseEvent()
          .withStatusCode(status)
          .withHeaders(Map.of("Content-Type", "application/json"))
          .withBody(Json.mapper().writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

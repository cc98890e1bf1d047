package io.studiocp.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.studiocp.identity.ActorResolver;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.platform.Rejection;
import io.studiocp.platform.TransientAwsException;
import io.studiocp.platform.lambda.FunctionLog;
import io.studiocp.platform.lambda.Priming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The v1 REST API behind API Gateway (IAM auth). The router picks the route; the route parses,
 * runs one use case and maps the result. This class owns the HTTP side of failures: a rejection's
 * kind becomes its 4xx status with {@code {"error", "message"}}, AWS being busy a 503, anything
 * else a 500 naming the request id; no stack trace ever leaves the function.
 */
public final class ApiHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  private final ActorResolver actors;
  private final Router router;
  private final FunctionLog log;
  private final Priming priming;

  public ApiHandler() {
    this(Env.system());
  }

  public ApiHandler(Env env) {
    this(env, Clock.systemUTC());
  }

  public ApiHandler(Env env, Clock clock) {
    ApiWiring api = ApiWiring.from(env, clock);
    this.actors = api.actors();
    this.router = ApiRoutes.router(api);
    this.log = FunctionLog.of(env);
    // SnapStart: the event's reader, the answer's writer and an error's path, and the clients' calls.
    this.priming = Priming.register(env, Priming.reader(APIGatewayProxyRequestEvent.class),
        Priming.writer(APIGatewayProxyResponseEvent.class), api.primeClients(),
        () -> http(ApiResponse.error(404, "NotFound", "priming")));
  }

  /** The SnapStart priming hook (what beforeCheckpoint runs). */
  public Priming priming() {
    return priming;
  }

  /** The API's resources and the methods each takes: what template.yaml and the sandbox's gateway declare. */
  public Map<String, List<String>> resources() {
    return router.methodsByResource();
  }

  /**
   * Lambda's entry point. The event is read with the layer's Jackson rather than the runtime's
   * own event deserializer, which would load a second JSON library at cold start.
   */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    APIGatewayProxyRequestEvent event = Json.mapper().readValue(input, APIGatewayProxyRequestEvent.class);
    Json.mapper().writeValue(output, log.invocation(context, () -> logged(event, context)));
  }

  /** Answers the request and logs one line for it: method, route, status, duration and actor. */
  private APIGatewayProxyResponseEvent logged(APIGatewayProxyRequestEvent event, Context context) {
    long started = System.nanoTime();
    ApiRequest request = new ApiRequest(event, actors);
    APIGatewayProxyResponseEvent response = null;
    try {
      response = respond(request, context);
      return response;
    } finally {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("method", request.method());
      fields.put("route", request.resource());
      fields.put("status", response == null ? "500" : Integer.toString(response.getStatusCode()));
      fields.put("duration_ms", FunctionLog.millisSince(started));
      fields.put("actor", request.resolvedActor().orElse(null));
      FunctionLog.summary(LOG, fields.get("method") + " " + fields.get("route") + " " + fields.get("status") + " in "
          + fields.get("duration_ms") + " ms", fields);
    }
  }

  private APIGatewayProxyResponseEvent respond(ApiRequest request, Context context) {
    try {
      return http(router.dispatch(request));
    } catch (Rejection e) {
      return http(ApiResponse.error(status(e.kind()), e.code(), e.getMessage()));
    } catch (HttpRefusal e) {
      return http(e.response());
    } catch (TransientAwsException e) {
      LOG.warn("AWS is busy: {}", e.getMessage(), e);
      return http(ApiResponse.error(503, "ServiceUnavailable", "AWS is busy right now; retry in a few seconds"))
          .withHeaders(Map.of("Content-Type", "application/json", "Retry-After", "5"));
    } catch (RuntimeException e) {
      LOG.error("request failed", e);
      return http(ApiResponse.error(500, "InternalError", "the control plane failed to handle this request; "
          + "tell your admin the request id " + context.getAwsRequestId()));
    }
  }

  /** Each kind of refusal is its own 4xx. */
  static int status(Rejection.Kind kind) {
    return switch (kind) {
      case INVALID -> 400;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
    };
  }

  private static APIGatewayProxyResponseEvent http(ApiResponse response) {
    try {
      return new APIGatewayProxyResponseEvent()
          .withStatusCode(response.status())
          .withHeaders(Map.of("Content-Type", "application/json"))
          .withBody(Json.mapper().writeValueAsString(response.body()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

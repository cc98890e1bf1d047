package io.studiocp.functions.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.functions.provision.CompensateHandler;
import io.studiocp.functions.provision.LaunchHandler;
import io.studiocp.functions.provision.MarkReadyHandler;
import io.studiocp.functions.provision.PrepareHandler;
import io.studiocp.platform.Env;
import io.studiocp.testkit.AwsTestWorld;
import io.studiocp.testkit.RepositoryFiles;
import io.studiocp.testkit.WorkflowFixture;
import io.studiocp.platform.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Builds API Gateway events from the samples in events/ and sends them to the handler. */
final class ApiCalls {

  /** The provisioning workflow's real steps, behind the API in these tests. */
  static final Function<Env, WorkflowFixture.Steps> PROVISION_STEPS = WorkflowFixture.Steps.of(PrepareHandler::new, LaunchHandler::new, MarkReadyHandler::new,
        CompensateHandler::new);

  private final ApiHandler handler;

  ApiCalls(ApiHandler handler) {
    this.handler = handler;
  }

  /** A response and its parsed body. */
  record Reply(int status, JsonNode body) {
    String error() {
      return body.path("error").asText();
    }

    String message() {
      return body.path("message").asText();
    }
  }

  static APIGatewayProxyRequestEvent sample(String name) {
    return EventLoader.loadApiGatewayRestEvent(RepositoryFiles.eventPath(name).toString());
  }

  /** The sample, signed by another principal and claiming another profile (null: no claim). */
  static APIGatewayProxyRequestEvent as(APIGatewayProxyRequestEvent event, String callerArn, String profile) {
    event.getRequestContext().getIdentity().setUserArn(callerArn);
    Map<String, String> headers = new HashMap<>(event.getHeaders());
    headers.remove("X-Studio-User-Profile");
    headers.remove("X-Studio-Domain-Id");
    if (profile != null) {
      headers.put("X-Studio-Domain-Id", AwsTestWorld.DOMAIN);
      headers.put("X-Studio-User-Profile", profile);
    }
    event.setHeaders(headers);
    return event;
  }

  static APIGatewayProxyRequestEvent header(APIGatewayProxyRequestEvent event, String name, String value) {
    Map<String, String> headers = new HashMap<>(event.getHeaders());
    if (value == null) {
      headers.remove(name);
    } else {
      headers.put(name, value);
    }
    event.setHeaders(headers);
    return event;
  }

  static APIGatewayProxyRequestEvent host(APIGatewayProxyRequestEvent event, String hostId) {
    event.setPathParameters(Map.of("hostId", hostId));
    event.setPath("/hosts/" + hostId);
    return event;
  }

  /** Sends the event through the handler's Lambda entry point, as JSON in and JSON out. */
  Reply send(APIGatewayProxyRequestEvent event) {
    return send(event, new LocalContext("Api"));
  }

  /** Sends the event as the invocation with this Lambda request id. */
  Reply send(APIGatewayProxyRequestEvent event, String requestId) {
    return send(event, new LocalContext("Api", requestId));
  }

  private Reply send(APIGatewayProxyRequestEvent event, LocalContext context) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handler.handleRequest(new ByteArrayInputStream(Json.mapper().writeValueAsBytes(event)), out, context);
      APIGatewayProxyResponseEvent response = Json.mapper().readValue(out.toByteArray(), APIGatewayProxyResponseEvent.class);
      return new Reply(response.getStatusCode(), Json.mapper().readTree(response.getBody()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

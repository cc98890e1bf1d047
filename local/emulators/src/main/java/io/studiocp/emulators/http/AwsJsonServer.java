package io.studiocp.emulators.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A loopback HTTP server speaking the AWS JSON protocol (1.0 and 1.1): one POST per operation,
 * named by the {@code X-Amz-Target} header, a JSON body in and out, errors as
 * {@code {"__type": ..., "message": ...}}.
 *
 * <p>With an {@link Upstream}, the requests the upstream takes are passed to it unchanged (the
 * same body and headers) and its answer is passed back unchanged: a stand-in can answer a few
 * operations itself and leave the rest of the service to another emulator behind one endpoint.
 */
public final class AwsJsonServer implements AutoCloseable {

  /** What answers the operations: {@code operation} is the target without its service prefix. */
  @FunctionalInterface
  public interface Operations {
    JsonNode handle(String operation, ObjectNode input);
  }

  /**
   * One call as the server saw it. {@code request} is null when the body was not a JSON object,
   * {@code response} when the answer was not JSON; {@code forwarded} when the upstream answered.
   */
  public record Exchange(String operation, JsonNode request, int status, JsonNode response, boolean forwarded) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final String targetPrefix;
  private final String contentType;
  private final Operations operations;
  private final Upstream upstream;
  private final List<Consumer<Exchange>> listeners = new CopyOnWriteArrayList<>();

  private AwsJsonServer(HttpServer server, ExecutorService executor, String targetPrefix,
      String contentType, Operations operations, Upstream upstream) {
    this.server = server;
    this.executor = executor;
    this.targetPrefix = targetPrefix;
    this.contentType = contentType;
    this.operations = operations;
    this.upstream = upstream;
  }

  /**
   * Starts listening on 127.0.0.1:{@code port} (0 picks a free one).
   *
   * @param targetPrefix the part of X-Amz-Target before the dot, e.g. {@code SageMaker}
   * @param jsonVersion {@code 1.0} or {@code 1.1}
   */
  public static AwsJsonServer start(int port, String targetPrefix, String jsonVersion,
      Operations operations) {
    return start(port, targetPrefix, jsonVersion, operations, null);
  }

  /** As {@link #start(int, String, String, Operations)}, passing what {@code upstream} takes to it. */
  public static AwsJsonServer start(int port, String targetPrefix, String jsonVersion,
      Operations operations, Upstream upstream) {
    NoDelay.enable();
    try {
      HttpServer server = HttpServer.create(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      server.setExecutor(executor);
      AwsJsonServer json = new AwsJsonServer(server, executor, targetPrefix,
          "application/x-amz-json-" + jsonVersion, operations, upstream);
      server.createContext("/", json::serve);
      server.start();
      return json;
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  /** Tells {@code listener} about every call from now on (tests check them against the model). */
  public void listen(Consumer<Exchange> listener) {
    listeners.add(listener);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      if (!"POST".equals(exchange.getRequestMethod()) || target == null
          || !target.startsWith(targetPrefix + ".")) {
        respond(exchange, null, null, 400, error("UnknownOperationException",
            "expected a POST with X-Amz-Target: " + targetPrefix + ".<Operation>"));
        return;
      }
      String operation = target.substring(targetPrefix.length() + 1);
      byte[] bytes;
      try (InputStream body = exchange.getRequestBody()) {
        bytes = body.readAllBytes();
      }
      ObjectNode input = null;
      String unreadable = null;
      try {
        JsonNode parsed = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        if (parsed instanceof ObjectNode object) {
          input = object;
        } else {
          unreadable = "the body must be a JSON object";
        }
      } catch (IOException e) {
        unreadable = "the body is not JSON: " + e.getMessage();
      }
      if (upstream != null && upstream.takes(operation, input)) {
        ObjectNode forwarded = input;
        upstream.forward(exchange, bytes, answer ->
            notify(new Exchange(operation, forwarded, answer.status(), parseQuietly(answer.body()), true)));
        return;
      }
      if (input == null) {
        respond(exchange, operation, null, 400, error("SerializationException", unreadable));
        return;
      }
      try {
        JsonNode output = operations.handle(operation, input);
        respond(exchange, operation, input, 200, output == null ? JSON.createObjectNode() : output);
      } catch (AwsJsonError e) {
        respond(exchange, operation, input, e.status(), error(e.type(), e.getMessage()));
      } catch (RuntimeException e) {
        respond(exchange, operation, input, 500, error("InternalFailure", e.toString()));
      }
    }
  }

  private static ObjectNode error(String type, String message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("__type", type);
    node.put("message", message);
    node.put("Message", message);
    return node;
  }

  private void respond(HttpExchange exchange, String operation, JsonNode input, int status, JsonNode body)
      throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    if (status >= 400) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", body.path("__type").asText());
    }
    // Listeners hear of the call before its caller has the answer: a test that checks the calls
    // right after its last one returned must find that one among them.
    if (operation != null) {
      notify(new Exchange(operation, input, status, body, false));
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void notify(Exchange call) {
    listeners.forEach(l -> l.accept(call));
  }

  private static JsonNode parseQuietly(byte[] body) {
    try {
      return body.length == 0 ? null : JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

package io.studiocp.emulators.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Another emulator behind a stand-in: the requests it {@link #takes} go to it with the same body
 * and headers (the SigV4 signature included), and its answer comes back with the same status,
 * headers and body. An upstream that cannot be reached is a 502 naming it, never a hang.
 */
public final class Upstream {

  /** What the upstream answered. */
  public record Answer(int status, byte[] body) {}

  /** Headers that belong to one hop, or that the HTTP client sets itself. */
  private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect",
      "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-authorization", "proxy-connection",
      "http2-settings", "date");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final URI endpoint;
  private final BiPredicate<String, ObjectNode> takes;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  /**
   * @param endpoint where the upstream listens, e.g. moto's {@code http://127.0.0.1:5000}
   * @param takes given the operation and the body (null when it is not a JSON object), whether the
   *     upstream answers it
   */
  public Upstream(String endpoint, BiPredicate<String, ObjectNode> takes) {
    this.endpoint = URI.create(endpoint);
    this.takes = takes;
  }

  public String endpoint() {
    return endpoint.toString();
  }

  boolean takes(String operation, ObjectNode input) {
    return takes.test(operation, input);
  }

  /** Sends the request on and writes the upstream's answer to {@code exchange}. */
  public Answer forward(HttpExchange exchange, byte[] body) throws IOException {
    return forward(exchange, body, answer -> { });
  }

  /**
   * Sends the request on, lets {@code beforeReply} see the upstream's answer, then writes it to
   * {@code exchange}: what the hook records is there before the caller has its answer.
   */
  public Answer forward(HttpExchange exchange, byte[] body, IoConsumer<Answer> beforeReply) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(exchange.getRequestURI()))
        .timeout(TIMEOUT)
        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> request.header(name, v));
      }
    });
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return unreachable(exchange, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unreachable(exchange, "interrupted");
    }
    for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_HEADERS.contains(name) && !name.startsWith(":")) {
        exchange.getResponseHeaders().put(header.getKey(), header.getValue());
      }
    }
    Answer answer = new Answer(response.statusCode(), response.body());
    beforeReply.accept(answer);
    send(exchange, answer);
    return answer;
  }

  /** A consumer that may fail with an I/O error. */
  @FunctionalInterface
  public interface IoConsumer<T> {
    void accept(T value) throws IOException;
  }

  private Answer unreachable(HttpExchange exchange, String why) throws IOException {
    String message = "the upstream emulator at " + endpoint + " did not answer: " + why;
    byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("__type", "InternalFailure")
        .put("message", message));
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    Answer answer = new Answer(502, body);
    send(exchange, answer);
    return answer;
  }

  private static void send(HttpExchange exchange, Answer answer) throws IOException {
    exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
    if (answer.body().length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer.body());
      }
    }
  }
}

package io.studiocp.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.studiocp.emulators.http.Upstream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * An HTTP endpoint in front of a real one (moto, a stand-in) that records every request that
 * reaches it, then passes it on: what a test points a function's clients at to see which calls
 * leave the function (none, while it is primed for SnapStart).
 */
public final class RecordingProxy implements AutoCloseable {

  /** A request as it arrived: method, path and headers (names in lower case). */
  public record Request(String method, String path, Map<String, List<String>> headers) {}

  private final HttpServer server;
  private final Upstream upstream;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private RecordingProxy(String upstream) throws IOException {
    this.upstream = new Upstream(upstream, (operation, input) -> true);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::forward);
    server.start();
  }

  public static RecordingProxy to(String upstream) {
    try {
      return new RecordingProxy(upstream);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A function's settings with a recording proxy in front of every endpoint they name
   * ({@code AWS_ENDPOINT_URL} and each {@code AWS_ENDPOINT_URL_<SERVICE>}).
   */
  public static Recorded inFrontOf(Map<String, String> env) {
    Map<String, String> recorded = new java.util.HashMap<>(env);
    List<RecordingProxy> proxies = new java.util.ArrayList<>();
    env.forEach((name, value) -> {
      if (name.startsWith("AWS_ENDPOINT_URL")) {
        RecordingProxy proxy = to(value);
        proxies.add(proxy);
        recorded.put(name, proxy.endpoint());
      }
    });
    return new Recorded(Map.copyOf(recorded), List.copyOf(proxies));
  }

  /** Settings whose endpoints are recorded, and what reached them. */
  public record Recorded(Map<String, String> env, List<RecordingProxy> proxies) implements AutoCloseable {

    public List<Request> requests() {
      return proxies.stream().flatMap(p -> p.requests().stream()).toList();
    }

    @Override
    public void close() {
      proxies.forEach(RecordingProxy::close);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          exchange.getRequestHeaders().entrySet().stream().collect(Collectors.toMap(
              e -> e.getKey().toLowerCase(), e -> List.copyOf(e.getValue()), (a, b) -> a))));
      upstream.forward(exchange, exchange.getRequestBody().readAllBytes());
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

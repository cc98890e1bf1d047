package io.studiocp.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.studiocp.emulators.http.Upstream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmarks put between the SDK clients and moto: every call is counted by service and
 * operation ({@code ec2:DescribeInstances}, {@code states:ListExecutions}, {@code ses:POST
 * /v2/email/outbound-emails}), waits the configured latency as a call to AWS would, then goes to
 * moto unchanged (through the emulators' {@link Upstream}). It also adds up how long moto itself took, so that a benchmark can tell the
 * emulator's own time on this machine from the code's.
 */
final class CountingProxy implements AutoCloseable {

  private static final Pattern SERVICE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/");
  private static final Pattern ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z0-9]+)");

  private final HttpServer server;
  private final Upstream upstream;
  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
  private final AtomicLong upstreamNanos = new AtomicLong();
  private volatile Duration latency = Duration.ZERO;
  private final Map<String, String> localAnswers = new ConcurrentHashMap<>();
  private volatile Timeline timeline = new Timeline();
  /** Operations whose answers are replayed to a byte-identical request, and the answers kept. */
  private final Set<String> replayed = ConcurrentHashMap.newKeySet();
  private final Map<String, Recorded> recordings = new ConcurrentHashMap<>();
  private final AtomicLong replays = new AtomicLong();

  private record Recorded(int status, Map<String, java.util.List<String>> headers, byte[] body) {}

  CountingProxy(String upstream) throws IOException {
    this.upstream = new Upstream(upstream, (operation, input) -> true);
    io.studiocp.emulators.http.NoDelay.enable(); // no 40 ms delayed-ACK stall on each answer
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::forward);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void latency(Duration delay) {
    this.latency = delay;
  }

  /**
   * Answers {@code operation} here, with {@code json}, instead of moto: for an operation whose
   * emulation costs moto more on this machine than the call costs in AWS (SES's SendEmail: about
   * 15 ms of Python a message), which would measure moto rather than the code.
   */
  void answerLocally(String operation, String json) {
    localAnswers.put(operation, json);
  }

  /**
   * Answers {@code operation} (a read) from moto's own answer to a byte-identical earlier request,
   * as long as nothing else of its service went to moto since (a write clears the recordings):
   * for a read whose emulation costs moto seconds of Python (DescribeInstances over hundreds of
   * instances), made once before the timed run so that the run measures the code, not moto.
   */
  void replay(String operation) {
    replayed.add(operation);
  }

  /** How many answers were replayed since the last {@link #reset()}. */
  long replays() {
    return replays.get();
  }

  /** Tells {@code timeline} of every answer from now on. */
  void timeline(Timeline timeline) {
    this.timeline = timeline;
  }

  void reset() {
    calls.clear();
    replays.set(0);
    upstreamNanos.set(0);
  }

  Map<String, Long> calls() {
    Map<String, Long> copy = new TreeMap<>();
    calls.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  long total() {
    return calls.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** The time moto spent answering, added up over every call (calls side by side count each). */
  Duration upstreamTime() {
    return Duration.ofNanos(upstreamNanos.get());
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String operation = operation(exchange, body);
      calls.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
      if (!latency.isZero()) {
        Thread.sleep(latency);
      }
      String local = localAnswers.get(operation);
      if (local != null) {
        byte[] answer = local.replace("{n}", Long.toString(calls.get(operation).get())).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
        timeline.answered(operation);
        return;
      }
      String service = operation.substring(0, operation.indexOf(':') + 1);
      String recordingKey = operation + "\n" + exchange.getRequestURI() + "\n" + new String(body, StandardCharsets.UTF_8);
      Recorded recorded = replayed.contains(operation) ? recordings.get(recordingKey) : null;
      if (recorded != null) {
        replays.incrementAndGet();
        recorded.headers().forEach((name, values) -> values.forEach(v -> exchange.getResponseHeaders().add(name, v)));
        exchange.sendResponseHeaders(recorded.status(), recorded.body().length == 0 ? -1 : recorded.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(recorded.body());
        }
        timeline.answered(operation);
        return;
      }
      // Anything of the service that reaches moto may change what a recorded read would answer.
      recordings.keySet().removeIf(k -> k.startsWith(service));
      long started = System.nanoTime();
      upstream.forward(exchange, body, answer -> {
        upstreamNanos.addAndGet(System.nanoTime() - started);
        if (replayed.contains(operation) && answer.status() == 200) {
          recordings.put(recordingKey, new Recorded(200, new TreeMap<>(exchange.getResponseHeaders()), answer.body()));
        }
      });
      timeline.answered(operation);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String operation(HttpExchange exchange, byte[] body) {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    Matcher service = SERVICE.matcher(auth == null ? "" : auth);
    String name = service.find() ? service.group(1) : "unknown";
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    if (target != null) {
      return name + ":" + target.substring(target.indexOf('.') + 1);
    }
    // Query protocol (EC2): the action is a form field. Other bodies (SES's JSON mail) are not decoded.
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    Matcher action = ACTION.matcher(type == null || !type.contains("x-www-form-urlencoded") ? ""
        : URLDecoder.decode(new String(body, StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    if (action.find()) {
      return name + ":" + action.group(1);
    }
    return name + ":" + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath().replaceAll("/[^/]*@[^/]*", "/{address}");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

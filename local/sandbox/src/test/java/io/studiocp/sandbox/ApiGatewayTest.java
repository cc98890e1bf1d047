package io.studiocp.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.functions.api.ApiHandler;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The sandbox's gateway on its own port, in front of the real API function (built offline: every
 * request here is answered before the function would call AWS). What API Gateway refuses, it
 * refuses, and every answer, its own or the function's, is {@code {"error", "message"}} JSON.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiGatewayTest {

  private static final Map<String, String> OFFLINE = Map.of(
      "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "unused", "AWS_SECRET_ACCESS_KEY", "unused",
      "STUDIO_DOMAIN_IDS", "d-abc123",
      "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:ProvisionHost",
      "START_STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:StartHost");
  private static final SandboxSeed.Credential ALICE = new SandboxSeed.Credential("AKIAALICE0000000000",
      "alice-secret", "arn:aws:sts::123456789012:assumed-role/studio-alice/SageMaker");
  private static final String BODY = "{\"instanceType\": \"m5.large\"}";

  private ApiGateway gateway;
  private int port;

  /** A request as the bytes on the wire. */
  record Raw(String method, String target, Map<String, String> headers, String body) {

    Raw with(String header, String value) {
      Map<String, String> all = new LinkedHashMap<>(headers);
      if (value == null) {
        all.remove(header);
      } else {
        all.put(header, value);
      }
      return new Raw(method, target, all, body);
    }

    Raw body(String other) {
      return new Raw(method, target, headers, other);
    }
  }

  record Answer(int status, String head, JsonNode body) {}

  @BeforeAll
  void start() {
    ApiHandler api = new ApiHandler(Env.of(OFFLINE));
    List<ApiGateway.Route> routes = api.resources().entrySet().stream()
        .map(r -> new ApiGateway.Route(r.getKey(), r.getValue())).toList();
    gateway = new ApiGateway(0, new SigV4Verifier(Map.of(ALICE.accessKeyId(), ALICE), "us-east-1", "execute-api",
        Clock.systemUTC()), api, "v1", routes, "123456789012");
    port = Integer.parseInt(gateway.endpoint().replaceAll(".*:(\\d+)/v1$", "$1"));
    gateway.route("/_sandbox/", request -> LoopbackHttpServer.Response.json(200, "{\"path\":\"" + request.rawPath() + "\"}",
        Map.of()));
  }

  @AfterAll
  void stop() {
    gateway.close();
  }

  /** Signed as sdocker signs: SigV4 for execute-api, optionally with X-Amz-Content-SHA256 among the signed headers. */
  private Raw signed(String method, String target, String body, boolean contentHashHeader) {
    return signed(method, target, body, body == null ? null : "application/json", contentHashHeader, "k-1");
  }

  private Raw signed(String method, String target, String body, String contentType, boolean contentHashHeader,
      String idempotencyKey) {
    return signedFor(port, method, target, body, contentType, contentHashHeader, idempotencyKey);
  }

  private static Raw signedFor(int port, String method, String target, String body, String contentType,
      boolean contentHashHeader, String idempotencyKey) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method))
        .uri(URI.create("http://127.0.0.1:" + port + target));
    if (idempotencyKey != null) {
      request.putHeader("Idempotency-Key", idempotencyKey);
    }
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    if (contentHashHeader) {
      request.putHeader("X-Amz-Content-SHA256", io.studiocp.platform.Digests.sha256Hex(body == null ? "" : body));
    }
    SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create(ALICE.accessKeyId(), ALICE.secretAccessKey()))
        .request(request.build())
        .payload(body == null ? null : ContentStreamProvider.fromUtf8String(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
    Map<String, String> headers = new LinkedHashMap<>();
    signed.headers().forEach((k, v) -> headers.put(k, v.getFirst()));
    return new Raw(method, target, headers, body);
  }

  private static Raw unsigned(String method, String target) {
    return new Raw(method, target, Map.of(), null);
  }

  private Answer send(Raw raw) throws IOException {
    return sendTo(port, raw);
  }

  private static Answer sendTo(int port, Raw raw) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      byte[] body = raw.body() == null ? new byte[0] : raw.body().getBytes(StandardCharsets.UTF_8);
      StringBuilder head = new StringBuilder(raw.method() + " " + raw.target() + " HTTP/1.1\r\n");
      Map<String, String> headers = new LinkedHashMap<>(raw.headers());
      headers.putIfAbsent("Host", "127.0.0.1:" + port);
      headers.remove("Content-Length");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return read(socket.getInputStream());
    }
  }

  private static Answer read(InputStream in) throws IOException {
    String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    int split = all.indexOf("\r\n\r\n");
    String head = all.substring(0, split);
    return new Answer(Integer.parseInt(head.split(" ")[1]), head, Json.readOneDocument(all.substring(split + 4)));
  }

  Stream<Arguments> refusals() {
    return Stream.of(
        row("unsigned", t -> unsigned("GET", "/v1/hosts"), 403, "MissingAuthenticationToken", "not signed"),
        row("outside the stage", t -> unsigned("GET", "/hosts"), 403, "MissingAuthenticationToken", "POST /hosts"),
        row("an unknown route", t -> t.signed("GET", "/v1/nowhere", null, false), 403,
            "MissingAuthenticationToken", "DELETE /hosts/{hostId}"),
        row("a method the route has not", t -> t.signed("DELETE", "/v1/hosts", null, false), 403,
            "MissingAuthenticationToken", "no such route"),
        row("a malformed escape in the path", t -> unsigned("GET", "/v1/hosts/%zz"), 400,
            "BAD_REQUEST_PARAMETERS", "'%zz'"),
        row("a malformed escape at the end", t -> unsigned("GET", "/v1/hosts/h-1%2"), 400,
            "BAD_REQUEST_PARAMETERS", "%25"),
        row("a malformed escape in the query", t -> unsigned("GET", "/v1/hosts?all=%zz"), 400,
            "BAD_REQUEST_PARAMETERS", "'%zz'"),
        row("a wrong signature", t -> t.signed("GET", "/v1/hosts", null, false).with("Host", "elsewhere.example"),
            403, "InvalidSignature", "signature we calculated does not match"),
        row("a body swapped after signing", t -> t.signed("POST", "/v1/hosts", BODY, false)
            .body("{\"instanceType\": \"p4d.24xlarge\"}"), 403, "InvalidSignature", "does not match"),
        row("a body swapped after signing its hash", t -> t.signed("POST", "/v1/hosts", BODY, true)
            .body("{\"instanceType\": \"p4d.24xlarge\"}"), 403, "InvalidSignature", "X-Amz-Content-SHA256"),
        row("a swapped body with its own hash", t -> {
          Raw raw = t.signed("POST", "/v1/hosts", BODY, true);
          String other = "{\"instanceType\": \"p4d.24xlarge\"}";
          return raw.body(other).with("X-Amz-Content-SHA256", io.studiocp.platform.Digests.sha256Hex(other));
        }, 403, "InvalidSignature", "signature we calculated does not match"),
        row("the function: a body sent as text", t -> t.signed("POST", "/v1/hosts", BODY, "text/plain", false, "k-1"),
            415, "UnsupportedMediaType", "Content-Type text/plain is not JSON"),
        row("the function: a body sent without a type", t -> t.signed("POST", "/v1/hosts", BODY, null, false, "k-1"),
            415, "UnsupportedMediaType", "no Content-Type"),
        row("the function: a change without a key", t -> t.signed("POST", "/v1/hosts", BODY, "application/json",
            false, null), 400, "MissingHeader", "Idempotency-Key"),
        row("the function: a key given twice", t -> t.signed("POST", "/v1/hosts",
            "{\"instanceType\": \"bogus\", \"instanceType\": \"m5.large\"}", true), 400, "DuplicateField",
            "\"instanceType\" appears more than once"),
        row("the function: two documents", t -> t.signed("POST", "/v1/hosts", BODY + BODY, true), 400, "InvalidJson",
            "exactly one document"));
  }

  private static Arguments row(String name, java.util.function.Function<ApiGatewayTest, Raw> request, int status,
      String error, String named) {
    return Arguments.of(name, request, status, error, named);
  }

  @Test
  void aRequestThatIsNotHttpIsAJson400() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.getOutputStream().write("GET /v1/hosts\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      Answer answer = read(socket.getInputStream());
      assertEquals(400, answer.status());
      assertEquals("BadRequest", answer.body().get("error").asText());
    }
  }

  @Test
  void aConnectionIsKeptAliveAndTheSandboxsOwnRoutesAreServed() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /_sandbox/mail HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /v1/hosts/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String both = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(both.startsWith("HTTP/1.1 200 OK\r\n"), both);
      assertTrue(both.contains("{\"path\":\"/_sandbox/mail\"}HTTP/1.1 400 Bad Request\r\n"), both);
      assertFalse(both.contains("<h1>"), "never an HTML page: " + both);
    }
  }

  /**
   * A long poll ({@code GET /hosts/{hostId}?waitSeconds=N}) holds its request in the function for
   * up to 20 s: the gateway serves other requests meanwhile, as API Gateway does (each request its
   * own invocation). Here the held request is a real one through the function, held in its first
   * AWS call (to an endpoint that answers only when the test says); the other request is answered
   * while it is held, which the order of the latches shows, not a timing.
   */
  @Test
  void aRequestHeldInTheFunctionDoesNotHoldBackAnother() throws Exception {
    CountDownLatch reached = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // Closed in reverse: the stand-in endpoint first, which ends its accepting thread.
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        ServerSocket aws = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      threads.submit(() -> {
        while (!aws.isClosed()) {
          Socket held = aws.accept();
          threads.submit(() -> {
            try (held) {
              reached.countDown();
              release.await();
            }
            return null;
          });
        }
        return null;
      });
      ApiHandler api = new ApiHandler(Env.of(OFFLINE).with("AWS_ENDPOINT_URL", "http://127.0.0.1:" + aws.getLocalPort()));
      List<ApiGateway.Route> routes = api.resources().entrySet().stream()
          .map(r -> new ApiGateway.Route(r.getKey(), r.getValue())).toList();
      try (ApiGateway held = new ApiGateway(0, new SigV4Verifier(Map.of(ALICE.accessKeyId(), ALICE), "us-east-1",
          "execute-api", Clock.systemUTC()), api, "v1", routes, "123456789012")) {
        int heldPort = Integer.parseInt(held.endpoint().replaceAll(".*:(\\d+)/v1$", "$1"));
        Raw longPoll = signedFor(heldPort, "GET", "/v1/hosts/h-0000000000000000?waitSeconds=20", null, null, false, null)
            .with("X-Studio-Domain-Id", "d-abc123").with("X-Studio-User-Profile", "alice");
        Future<Answer> polling = threads.submit(() -> sendTo(heldPort, longPoll));
        assertTrue(reached.await(60, TimeUnit.SECONDS), "the long poll reached the function's AWS call");

        Raw quick = signedFor(heldPort, "GET", "/v1/hosts/h-0000000000000000?waitSeconds=0", null, null, false, null);
        // Bounded, so that a gateway that served one request at a time fails here instead of hanging.
        Answer other = threads.submit(() -> sendTo(heldPort, quick)).get(60, TimeUnit.SECONDS);

        assertEquals(400, other.status(), other.body().toString());
        assertTrue(other.body().get("message").asText().contains("waitSeconds"), other.body().toString());
        assertFalse(polling.isDone(), "the long poll is still held while the other request was answered");
        release.countDown();
        Answer polled = polling.get(120, TimeUnit.SECONDS);
        assertEquals(2, polled.body().size(), "answered in the API's shape once released: " + polled.body());
      } finally {
        release.countDown();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesInTheApisErrorShape(String name, java.util.function.Function<ApiGatewayTest, Raw> request, int status,
      String error, String named) throws IOException {
    Answer answer = send(request.apply(this));

    assertEquals(status, answer.status(), answer.body().toString());
    assertEquals(2, answer.body().size(), "only error and message: " + answer.body());
    assertEquals(error, answer.body().get("error").asText());
    assertTrue(answer.body().get("message").asText().contains(named), answer.body() + " should name " + named);
    assertTrue(answer.head().contains("Content-Type: application/json"), answer.head());
  }
}

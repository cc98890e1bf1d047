package io.studiocp.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/**
 * The instance metadata service of one sandbox instance, IMDSv2 only: a session token from
 * {@code PUT /latest/api/token} is required for every read, as with HttpTokens=required. It serves
 * what bootstrap.sh reads: the instance id, its (loopback) address, and the host role's
 * credentials.
 */
final class MetadataService implements AutoCloseable {

  static final String ROLE = "studiocp-host";

  private final HttpServer server;
  private final String token = UUID.randomUUID().toString();
  private final Map<String, String> values;

  MetadataService(String instanceId, String address, String zone) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    this.values = Map.of(
        "meta-data/instance-id", instanceId,
        "meta-data/local-ipv4", address,
        "meta-data/local-hostname", address,
        "meta-data/placement/availability-zone", zone,
        "meta-data/iam/security-credentials/", ROLE,
        "meta-data/iam/security-credentials/" + ROLE, """
            {"Code": "Success", "LastUpdated": "%s", "Type": "AWS-HMAC",
             "AccessKeyId": "ASIASANDBOXHOST00001", "SecretAccessKey": "sandbox-host-role-secret",
             "Token": "sandbox-host-role-session", "Expiration": "%s"}
            """.formatted(now, now.plus(6, ChronoUnit.HOURS)));
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new IllegalStateException("no port for an instance metadata service: " + e.getMessage(), e);
    }
    server.createContext("/latest/", this::serve);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring("/latest/".length());
      if (path.equals("api/token")) {
        if (!"PUT".equals(exchange.getRequestMethod())
            || exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token-ttl-seconds") == null) {
          answer(exchange, 400, "");
          return;
        }
        answer(exchange, 200, token);
        return;
      }
      if (!token.equals(exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"))) {
        answer(exchange, 401, "");
        return;
      }
      String value = values.get(path);
      answer(exchange, value == null ? 404 : 200, value == null ? "" : value);
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

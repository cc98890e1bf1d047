package io.studiocp.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.studiocp.emulators.http.Upstream;
import io.studiocp.platform.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * SES v2 as the sandbox's functions reach it: every call goes on to moto unchanged, and each
 * message moto accepts is kept here whole — moto keeps only the HTML part of a message that has
 * both, and the police send both (plain text and HTML), so {@code GET /_sandbox/mail} shows
 * what a recipient would get.
 */
final class MailRecorder implements AutoCloseable {

  private static final String SEND_EMAIL = "/v2/email/outbound-emails";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Upstream moto;
  private final List<ObjectNode> messages = new ArrayList<>();

  MailRecorder(String motoEndpoint) {
    this.moto = new Upstream(motoEndpoint, (operation, input) -> true);
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new IllegalStateException("no loopback port for the mail recorder: " + e.getMessage(), e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::forward);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      // Kept before the sender has its answer, so whoever sent it finds it at once.
      moto.forward(exchange, body, answer -> {
        if (exchange.getRequestMethod().equals("POST") && exchange.getRequestURI().getPath().equals(SEND_EMAIL)
            && answer.status() == 200) {
          keep(Json.mapper().readTree(body), Json.mapper().readTree(answer.body()));
        }
      });
    }
  }

  private synchronized void keep(JsonNode request, JsonNode answer) {
    JsonNode simple = request.path("Content").path("Simple");
    ObjectNode message = Json.mapper().createObjectNode();
    message.put("messageId", answer.path("MessageId").asText());
    message.put("from", request.path("FromEmailAddress").asText());
    message.set("to", request.path("Destination").path("ToAddresses"));
    message.put("subject", simple.path("Subject").path("Data").asText());
    message.put("text", simple.path("Body").path("Text").path("Data").asText(null));
    message.put("html", simple.path("Body").path("Html").path("Data").asText(null));
    messages.add(message);
  }

  /** The messages sent so far, oldest first. */
  synchronized ArrayNode messages() {
    ArrayNode out = Json.mapper().createArrayNode();
    messages.forEach(m -> out.add(m.deepCopy()));
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

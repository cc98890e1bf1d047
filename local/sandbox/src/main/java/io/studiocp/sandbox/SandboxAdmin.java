package io.studiocp.sandbox;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.platform.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the console and the schedules do in AWS, on loopback: run the police or the cleanup now
 * ({@code POST /_sandbox/police}, {@code POST /_sandbox/cleanup}, with {@code {"dryRun": true}}
 * for the plan), invoke the admin console as the Lambda console does ({@code POST /_sandbox/admin}
 * with {@code {"action": ...}}, events/admin-<action>.json), measure the users' local home
 * directories as the home usage job measures EFS ({@code POST /_sandbox/home-usage}), read the
 * mail they sent ({@code GET /_sandbox/mail}: sender, recipients,
 * subject, the plain text and the HTML), read and move the sandbox's clock forward
 * ({@code GET /_sandbox/clock}, {@code POST /_sandbox/clock} with {@code {"advanceMinutes": N}}),
 * and run both on schedules.
 */
final class SandboxAdmin implements AutoCloseable {

  private static final String ROUTES = "the sandbox serves POST /_sandbox/police, POST /_sandbox/cleanup, "
      + "POST /_sandbox/admin (the admin console's event), POST /_sandbox/home-usage, "
      + "GET /_sandbox/mail, GET and POST /_sandbox/clock";

  /** A scheduled function of the sandbox's: its name in messages and its handler. */
  record Scheduled(String name, RequestStreamHandler handler, Duration every) {}

  private final Scheduled police;
  private final Scheduled cleanup;
  private final Scheduled admin;
  private final Scheduled homeUsage;
  private final MailRecorder mail;
  private final SandboxClock clock;
  private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
      Thread.ofVirtual().factory());

  SandboxAdmin(Scheduled police, Scheduled cleanup, Scheduled admin, Scheduled homeUsage, MailRecorder mail,
      SandboxClock clock) {
    this.police = police;
    this.cleanup = cleanup;
    this.admin = admin;
    this.homeUsage = homeUsage;
    this.mail = mail;
    this.clock = clock;
    schedule(police);
    schedule(cleanup);
  }

  private void schedule(Scheduled function) {
    if (function.every() == null || function.every().isZero()) {
      return;
    }
    long millis = function.every().toMillis();
    schedule.scheduleAtFixedRate(() -> {
      try {
        run(function, "{\"source\": \"schedule\"}");
        Sandbox.log("the " + function.name() + " ran on schedule");
      } catch (IOException | RuntimeException e) {
        Sandbox.log("the " + function.name() + " failed: " + e.getMessage());
      }
    }, millis, millis, TimeUnit.MILLISECONDS);
  }

  LoopbackHttpServer.Response serve(LoopbackHttpServer.Request request) throws IOException {
    String body = new String(request.body(), StandardCharsets.UTF_8);
    return switch (request.method() + " " + request.rawPath()) {
      case "POST /_sandbox/police" -> runNow(police, body);
      case "POST /_sandbox/cleanup" -> runNow(cleanup, body);
      case "POST /_sandbox/admin" -> runNow(admin, body.isBlank() ? "{\"action\": \"report\"}" : body);
      case "POST /_sandbox/home-usage" -> runNow(homeUsage, body);
      case "GET /_sandbox/mail" -> answer(200, mail.messages().toPrettyString());
      case "GET /_sandbox/clock" -> answer(200, now());
      case "POST /_sandbox/clock" -> advance(body);
      default -> answer(404, error("NotFound", ROUTES));
    };
  }

  private LoopbackHttpServer.Response runNow(Scheduled function, String body) throws IOException {
    try {
      return answer(200, run(function, body.isBlank() ? "{}" : body));
    } catch (IllegalArgumentException e) {
      return answer(400, error("InvalidEvent", e.getMessage()));
    } catch (IOException | RuntimeException e) {
      return answer(500, error("RunFailed", e.getMessage()));
    }
  }

  private LoopbackHttpServer.Response advance(String body) throws IOException {
    String usage = "send {\"advanceMinutes\": N}, N a whole number from 1 to 100000";
    JsonNode minutes;
    try {
      minutes = Json.mapper().readTree(body.isBlank() ? "{}" : body).get("advanceMinutes");
    } catch (IOException e) {
      return answer(400, error("InvalidBody", "the body is not JSON: " + usage));
    }
    if (minutes == null || !minutes.canConvertToInt() || !minutes.isIntegralNumber() || minutes.asInt() < 1
        || minutes.asInt() > 100_000) {
      return answer(400, error("InvalidBody", usage));
    }
    clock.advance(Duration.ofMinutes(minutes.asInt()));
    Sandbox.log("the sandbox's clock moved " + minutes.asInt() + " minutes forward: it is " + clock.instant());
    return answer(200, now());
  }

  private String now() throws IOException {
    return Json.mapper().writeValueAsString(Json.mapper().createObjectNode()
        .put("now", clock.instant().toString())
        .put("aheadSeconds", clock.ahead().toSeconds()));
  }

  private static String run(Scheduled function, String event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    function.handler().handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
        new LocalContext(function.name()));
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String error(String code, String message) throws IOException {
    return Json.mapper().writeValueAsString(Json.mapper().createObjectNode().put("error", code).put("message", message));
  }

  private static LoopbackHttpServer.Response answer(int status, String json) {
    return LoopbackHttpServer.Response.json(status, json, Map.of());
  }

  @Override
  public void close() {
    schedule.shutdownNow();
  }
}

package io.studiocp.sandbox;

import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.functions.police.PoliceHandler;
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
 * What the console and the schedule do in AWS, on loopback: run the police now
 * ({@code POST /_sandbox/police}, with {@code {"dryRun": true}} for the plan), read the mail they
 * sent ({@code GET /_sandbox/mail}: sender, recipients, subject, the plain text and the HTML), and, if asked, run them on a schedule.
 */
final class SandboxAdmin implements AutoCloseable {

  private final PoliceHandler police;
  private final MailRecorder mail;
  private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
      Thread.ofVirtual().factory());

  SandboxAdmin(PoliceHandler police, MailRecorder mail, Duration every) {
    this.police = police;
    this.mail = mail;
    if (every != null) {
      schedule.scheduleAtFixedRate(() -> {
        try {
          runPolice("{\"source\": \"schedule\"}");
          Sandbox.log("the police ran on schedule");
        } catch (IOException | RuntimeException e) {
          Sandbox.log("the police failed: " + e.getMessage());
        }
      }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  LoopbackHttpServer.Response serve(LoopbackHttpServer.Request request) throws IOException {
    String path = request.rawPath();
    String method = request.method();
    if (path.equals("/_sandbox/police") && method.equals("POST")) {
      String body = new String(request.body(), StandardCharsets.UTF_8);
      try {
        return answer(200, runPolice(body.isBlank() ? "{}" : body));
      } catch (IllegalArgumentException e) {
        return answer(400, error("InvalidEvent", e.getMessage()));
      } catch (RuntimeException e) {
        return answer(500, error("PoliceRunFailed", e.getMessage()));
      }
    } else if (path.equals("/_sandbox/mail") && method.equals("GET")) {
      return answer(200, mail.messages().toPrettyString());
    } else {
      return answer(404, "{\"error\":\"NotFound\",\"message\":\"the sandbox serves POST /_sandbox/police "
          + "and GET /_sandbox/mail\"}");
    }
  }

  private String runPolice(String event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    police.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
        new LocalContext("PoliceFunction"));
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

package io.studiocp.emulators.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A JSON-protocol call sent as raw HTTP: for the bodies an SDK never sends (unknown members,
 * wrong types, values outside the model), which a stand-in must refuse as AWS does.
 */
public final class RawCall {

  /** The answer: status, error type (null on success) and body. */
  public record Answer(int status, String errorType, JsonNode body) {
    public String message() {
      return body.path("message").asText(body.path("Message").asText());
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RawCall() {}

  public static Answer post(String endpoint, String target, String body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("X-Amz-Target", target)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode parsed = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
      String type = response.statusCode() >= 400 ? parsed.path("__type").asText() : null;
      if (type != null && type.contains("#")) {
        type = type.substring(type.indexOf('#') + 1);
      }
      return new Answer(response.statusCode(), type, parsed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Answer post(String endpoint, String target, JsonNode body) {
    return post(endpoint, target, body.toString());
  }
}

package io.studiocp.hosts.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.platform.Json;
import java.io.IOException;
import java.util.Optional;

/**
 * Turns the error a workflow caught into a code and a sentence a user can act on. Step Functions
 * reports a failed Lambda as its exception class with a JSON cause; a host reports
 * {@code BootstrapFailed}; timeouts come as {@code States.Timeout} and
 * {@code States.HeartbeatTimeout}.
 */
public record FailureReason(String error, String cause) {

  public static FailureReason of(CompensateInput.CaughtError caught, String certDirectory) {
    String error = caught == null || caught.error() == null ? "" : caught.error();
    String cause = caught == null || caught.cause() == null ? "" : caught.cause();
    String log = certDirectory == null ? "" : "; see " + certDirectory + "/bootstrap.log";
    return switch (error) {
      case "BootstrapFailed" -> new FailureReason("HostBootstrapFailed", cause);
      case "HostLost" -> new FailureReason("HostLost", cause);
      case "States.Timeout" -> new FailureReason("HostTimedOut",
          "the host did not report ready in time" + log);
      case "States.HeartbeatTimeout" -> new FailureReason("HostTimedOut",
          "the host stopped sending heartbeats while it was being set up" + log);
      default -> new FailureReason("ProvisioningFailed", lambdaMessage(cause).orElse(
          error.isEmpty() ? "unknown failure" : error + (cause.isEmpty() ? "" : ": " + cause)));
    };
  }

  private static Optional<String> lambdaMessage(String cause) {
    if (!cause.startsWith("{")) {
      return Optional.empty();
    }
    try {
      JsonNode node = Json.mapper().readTree(cause);
      return Optional.ofNullable(node.path("errorMessage").asText(null));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}

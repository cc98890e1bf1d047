package io.studiocp.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.functions.api.ApiHandler;
import io.studiocp.platform.Env;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The routes API Gateway sends to ApiFunction (template.yaml's Api events) are exactly the routes
 * the function's router serves, which the sandbox's gateway serves too: one table, checked here.
 */
class ApiRoutesTest {

  /** Settings enough to build the function (its clients are built, never called). */
  private static final Map<String, String> OFFLINE = Map.of(
      "AWS_REGION", "us-east-1",
      "AWS_ACCESS_KEY_ID", "unused",
      "AWS_SECRET_ACCESS_KEY", "unused",
      "STUDIO_DOMAIN_IDS", "d-abc123",
      "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:ProvisionHost",
      "START_STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:StartHost");

  @Test
  void templateEventsAreTheRoutersRoutes() throws Exception {
    Set<String> declared = new TreeSet<>();
    JsonNode events = Repository.template().at("/Resources/ApiFunction/Properties/Events");
    events.properties().forEach(e -> {
      if ("Api".equals(e.getValue().path("Type").asText())) {
        JsonNode properties = e.getValue().get("Properties");
        declared.add(properties.get("Method").asText().toUpperCase() + " " + properties.get("Path").asText());
      }
    });
    Set<String> served = new TreeSet<>();
    new ApiHandler(Env.of(OFFLINE)).resources().forEach((resource, methods) ->
        methods.forEach(method -> served.add(method + " " + resource)));

    assertFalse(served.isEmpty());
    assertEquals(declared, served);
  }
}

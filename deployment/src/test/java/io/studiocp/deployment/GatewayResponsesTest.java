package io.studiocp.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.functions.api.ApiHandler;
import io.studiocp.functions.api.GatewayResponses;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every answer API Gateway gives itself has the product's {@code {"error", "message"}} shape:
 * template.yaml declares exactly the API function's table of gateway responses (which the
 * sandbox's gateway answers with), the defaults included, and each template makes that JSON.
 */
class GatewayResponsesTest {

  private static final Map<String, String> OFFLINE = Map.of(
      "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "unused", "AWS_SECRET_ACCESS_KEY", "unused",
      "STUDIO_DOMAIN_IDS", "d-abc123",
      "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:ProvisionHost",
      "START_STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:StartHost");

  private static JsonNode declared() throws Exception {
    return Repository.template().at("/Resources/StudioApi/Properties/GatewayResponses");
  }

  @Test
  void theTemplateDeclaresTheTable() throws Exception {
    Map<String, String> declared = new TreeMap<>();
    declared().properties().forEach(e -> declared.put(e.getKey(),
        e.getValue().path("StatusCode").asText(null) + " " + e.getValue().at("/ResponseTemplates/application~1json").asText()));
    Map<String, String> table = new TreeMap<>();
    GatewayResponses.ALL.forEach(r -> table.put(r.type(), (r.status() == null ? null : r.status().toString())
        + " " + r.template()));

    assertEquals(table, declared);
    assertTrue(declared.containsKey("DEFAULT_4XX") && declared.containsKey("DEFAULT_5XX"), "every 4xx and 5xx is covered");
  }

  @Test
  void everyTemplateMakesTheErrorShape() throws Exception {
    for (var e : declared().properties()) {
      String body = e.getValue().at("/ResponseTemplates/application~1json").asText()
          .replace("$context.error.messageString", "\"Missing Authentication Token\"")
          .replace("$context.error.responseType", "UNSUPPORTED_MEDIA_TYPE");
      JsonNode parsed = Json.readOneDocument(body);
      assertEquals(2, parsed.size(), e.getKey() + ": " + body);
      assertTrue(parsed.get("error").isTextual() && parsed.get("message").isTextual(), e.getKey() + ": " + body);
    }
  }

  @Test
  void theSandboxRendersTheSameBodies() {
    GatewayResponses.Response unknownRoute = GatewayResponses.forType("MISSING_AUTHENTICATION_TOKEN", 403);
    assertEquals(403, unknownRoute.status());
    JsonNode body = Json.readOneDocument(unknownRoute.body("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token"));
    assertEquals("MissingAuthenticationToken", body.get("error").asText());

    GatewayResponses.Response other = GatewayResponses.forType("BAD_REQUEST_PARAMETERS", 400);
    assertNull(other.status(), "a default keeps the status");
    assertEquals("{\"error\":\"BAD_REQUEST_PARAMETERS\",\"message\":\"bad path\"}",
        other.body("BAD_REQUEST_PARAMETERS", "bad path"));
    assertEquals("DEFAULT_5XX", GatewayResponses.forType("INTEGRATION_TIMEOUT", 504).type());
  }

  @Test
  void anUnknownRouteIsToldEveryRoute() {
    String message = GatewayResponses.forType("MISSING_AUTHENTICATION_TOKEN", 403).message();
    new ApiHandler(Env.of(OFFLINE)).resources().forEach((resource, methods) -> methods.forEach(method ->
        assertTrue(message.contains(method + " " + resource), "the message should name " + method + " " + resource)));
  }
}

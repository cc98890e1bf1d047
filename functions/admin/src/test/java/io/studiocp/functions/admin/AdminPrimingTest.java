package io.studiocp.functions.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.platform.PrimingHttpClient;
import io.studiocp.testkit.AwsTestWorld;
import io.studiocp.testkit.RecordingProxy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin console's SnapStart priming hook: the report's calls run, nothing reaches AWS, the report works after. */
@ExtendWith(MotoExtension.class)
class AdminPrimingTest {

  private final MotoServer moto;

  AdminPrimingTest(MotoServer moto) {
    this.moto = moto;
  }

  @Test
  void primingCallsNothingAndLeavesTheReportWorking() throws Exception {
    AwsTestWorld world = AwsTestWorld.create(moto);
    Map<String, String> settings = new HashMap<>(world.env());
    settings.put("STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:ProvisionHost");
    settings.put("START_STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:StartHost");
    settings.put("POLICE_FROM_ADDRESS", "police@example.com");
    settings.put("POLICE_ADMIN_EMAILS", "platform-team@example.com");
    settings.put("SES_SANDBOX_MODE", "false");
    try (RecordingProxy.Recorded aws = RecordingProxy.inFrontOf(settings)) {
      AdminHandler handler = new AdminHandler(Env.of(aws.env()));

      assertEquals(List.of(), handler.priming().prime(), "every priming call ran, answered locally");
      assertEquals(List.of(), aws.requests(), "priming sends nothing to AWS");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handler.handleRequest(new ByteArrayInputStream("{\"action\": \"report\"}".getBytes(StandardCharsets.UTF_8)), out,
          new LocalContext("Admin"));
      JsonNode answer = Json.mapper().readTree(out.toByteArray());
      assertEquals("report", answer.path("action").asText(), answer.toString());
      assertTrue(answer.path("summary").isTextual(), "the primed console reports as before: " + answer);
      assertFalse(aws.requests().isEmpty(), "its sweeps reach AWS after priming");
      assertTrue(aws.requests().stream().noneMatch(r -> r.headers().containsKey(PrimingHttpClient.HEADER)),
          "no request carries the priming mark");
    }
  }
}

package io.studiocp.functions.cleanup;

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

/** The cleanup's SnapStart priming hook: its calls run, nothing reaches AWS (nothing stopped, no mail), it runs after. */
@ExtendWith(MotoExtension.class)
class CleanupPrimingTest {

  private final MotoServer moto;

  CleanupPrimingTest(MotoServer moto) {
    this.moto = moto;
  }

  @Test
  void primingCallsNothingAndLeavesTheCleanupWorking() throws Exception {
    AwsTestWorld world = AwsTestWorld.create(moto);
    String stateMachineArn = world.sfn().createStateMachine(r -> r.name("ProvisionHost")
        .roleArn("arn:aws:iam::123456789012:role/states")
        .definition("{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Succeed\"}}}")).stateMachineArn();
    Map<String, String> settings = new HashMap<>(world.env());
    settings.put("STATE_MACHINE_ARN", stateMachineArn);
    settings.put("POLICE_FROM_ADDRESS", "police@example.com");
    settings.put("POLICE_ADMIN_EMAILS", "platform-team@example.com");
    settings.put("SES_SANDBOX_MODE", "false");
    try (RecordingProxy.Recorded aws = RecordingProxy.inFrontOf(settings)) {
      CleanupHandler handler = new CleanupHandler(Env.of(aws.env()));

      assertEquals(List.of(), handler.priming().prime(), "every priming call ran, answered locally");
      assertEquals(List.of(), aws.requests(), "priming sends nothing to AWS");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handler.handleRequest(new ByteArrayInputStream("{\"dryRun\": true}".getBytes(StandardCharsets.UTF_8)), out,
          new LocalContext("Cleanup"));
      JsonNode report = Json.mapper().readTree(out.toByteArray());
      assertTrue(report.get("dryRun").asBoolean(), "the primed cleanup runs as before: " + report);
      assertFalse(aws.requests().isEmpty(), "its sweeps reach AWS after priming");
      assertTrue(aws.requests().stream().noneMatch(r -> r.headers().containsKey(PrimingHttpClient.HEADER)),
          "no request carries the priming mark");
    }
  }
}

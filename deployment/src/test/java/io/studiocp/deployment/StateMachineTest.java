package io.studiocp.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.emulators.stepfunctions.AslDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** statemachine/provision-host.asl.json: valid ASL, runnable locally, every failure compensated. */
class StateMachineTest {

  private static final Path DEFINITION = Repository.root().resolve("statemachine/provision-host.asl.json");
  private static final Map<String, String> SUBSTITUTIONS = Map.of(
      "PrepareFunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:studiocp-Prepare:live",
      "LaunchFunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:studiocp-Launch:live",
      "MarkReadyFunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:studiocp-MarkReady:live",
      "CompensateFunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:studiocp-Compensate:live",
      "ClaimFunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:studiocp-Claim:live",
      "RefillFunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:studiocp-Refill:live",
      "ClaimTimeoutSeconds", "90",
      "ProvisioningTimeoutSeconds", "900",
      "HeartbeatSeconds", "300");
  private static final Path START_DEFINITION = Repository.root().resolve("statemachine/start-host.asl.json");
  private static final Map<String, String> START_SUBSTITUTIONS = Map.of(
      "BeginStartFunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:studiocp-BeginStart:live",
      "FinishStartFunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:studiocp-FinishStart:live",
      "AbandonStartFunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:studiocp-AbandonStart:live",
      "ProvisioningTimeoutSeconds", "900",
      "HeartbeatSeconds", "300");

  private static Path substituted(String text) throws Exception {
    Path file = Files.createTempFile("provision-host", ".asl.json");
    Files.writeString(file, AslDefinition.substitute(text, SUBSTITUTIONS));
    return file;
  }

  @Test
  void aslValidatorAcceptsTheDefinition() throws Exception {
    Path file = substituted(Files.readString(DEFINITION));
    try {
      Repository.Run check = Repository.run(List.of(Repository.aslValidator().toString(), "--json-path", file.toString()));
      assertEquals(0, check.exitCode(), check.output());
      assertTrue(check.output().contains("is valid"), check.output());
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void aslValidatorAcceptsTheStartDefinitionWhoseStepsAllEndInAbandon() throws Exception {
    Path file = Files.createTempFile("start-host", ".asl.json");
    Files.writeString(file, AslDefinition.substitute(Files.readString(START_DEFINITION), START_SUBSTITUTIONS));
    try {
      Repository.Run check = Repository.run(List.of(Repository.aslValidator().toString(), "--json-path", file.toString()));
      assertEquals(0, check.exitCode(), check.output());
    } finally {
      Files.delete(file);
    }
    Map<String, List<String>> catches = AslDefinition.load(Files.readString(START_DEFINITION), START_SUBSTITUTIONS)
        .catchTargets();
    assertEquals(List.of("Begin", "Finish", "Abandon"), List.copyOf(catches.keySet()));
    assertEquals(List.of("Abandon"), catches.get("Begin"));
    assertEquals(List.of("Abandon"), catches.get("Finish"));
  }

  @Test
  void aslValidatorWouldNoticeABrokenDefinition() throws Exception {
    Path file = substituted(Files.readString(DEFINITION).replace("\"Next\": \"Failed\"", "\"Next\": \"Nowhere\""));
    try {
      Repository.Run check = Repository.run(List.of(Repository.aslValidator().toString(), "--json-path", file.toString()));
      assertNotEquals(0, check.exitCode(), check.output());
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void everyStepCatchesEverythingIntoCompensate() throws Exception {
    AslDefinition definition = AslDefinition.load(Files.readString(DEFINITION), SUBSTITUTIONS);
    Map<String, List<String>> catches = definition.catchTargets();
    assertEquals(List.of("Prepare", "Claim", "Launch", "MarkReady", "Refill", "Compensate"),
        List.copyOf(catches.keySet()));
    // A failed claim costs the user only the delay: it falls back to a fresh launch.
    assertEquals(List.of("Launch"), catches.get("Claim"));
    assertEquals(List.of(List.of("States.ALL")), definition.catchErrors().get("Claim"));
    // The user's host is ready before Refill: its failure never fails the request.
    assertEquals(List.of("Ready"), catches.get("Refill"));
    assertEquals(List.of(List.of("States.ALL")), definition.catchErrors().get("Refill"));
    assertEquals("Claim|Launch", definition.transitions().get("Pooled?"));
    assertEquals("Refill|Ready", definition.transitions().get("Claimed?"));
    catches.forEach((state, targets) -> {
      if (!state.equals("Compensate") && !state.equals("Claim") && !state.equals("Refill")) {
        assertEquals(List.of("Compensate"), targets, state + " must catch into Compensate");
        assertEquals(List.of(List.of("States.ALL")), definition.catchErrors().get(state),
            state + " must catch every error, timeouts included");
      }
    });
    assertEquals("Failed", definition.transitions().get("Compensate"), "Compensate ends in Fail");
    assertEquals("(fail)", definition.transitions().get("Failed"));
  }
}

package io.studiocp.emulators.stepfunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/** The local executor through the real SDK client: what the control plane relies on. */
class LocalStepFunctionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Same shape as the provisioning workflow: prepare, wait for a callback, finish; compensate on error. */
  private static final String DEFINITION = """
      {
        "StartAt": "Prepare",
        "States": {
          "Prepare": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "prepare", "Payload": {"id.$": "$.id", "execution.$": "$$.Execution.Id"}},
            "OutputPath": "$.Payload",
            "Retry": [{"ErrorEquals": ["Transient"], "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 2}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Compensate"}],
            "Next": "Launch"
          },
          "Launch": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "launch", "Payload": {"id.$": "$.id", "token.$": "$$.Task.Token"}},
            "ResultPath": "$.ready",
            "TimeoutSeconds": ${Timeout},
            "HeartbeatSeconds": ${Heartbeat},
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Compensate"}],
            "Next": "Done"
          },
          "Done": {"Type": "Pass", "End": true},
          "Compensate": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "compensate", "Payload.$": "$"},
            "OutputPath": "$.Payload",
            "Next": "Failed"
          },
          "Failed": {"Type": "Fail", "ErrorPath": "$.error", "CausePath": "$.cause"}
        }
      }
      """;

  private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
  private final BlockingQueue<String> tokens = new LinkedBlockingQueue<>();
  private volatile int prepareFailuresLeft;
  private volatile String prepareError = "Transient";

  private LocalStepFunctions local;
  private SfnClient sfn;
  private String machineArn;

  @BeforeEach
  void start() {
    start("3", "2");
  }

  private void start(String timeout, String heartbeat) {
    local = LocalStepFunctions.start(0, this::invoke,
        new LocalStepFunctions.Options("us-east-1", "123456789012", 0.01));
    machineArn = local.createStateMachine("Provision",
        AslDefinition.load(DEFINITION, Map.of("Timeout", timeout, "Heartbeat", heartbeat)));
    sfn = SfnClient.builder()
        .endpointOverride(URI.create(local.endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @AfterEach
  void stop() {
    sfn.close();
    local.close();
  }

  private JsonNode invoke(String function, JsonNode payload) throws TaskInvoker.FunctionError {
    invocations.computeIfAbsent(function, k -> new AtomicInteger()).incrementAndGet();
    ObjectNode out = JSON.createObjectNode();
    switch (function) {
      case "prepare" -> {
        if (prepareFailuresLeft > 0) {
          prepareFailuresLeft--;
          throw new TaskInvoker.FunctionError(prepareError, "prepare broke");
        }
        out.put("id", payload.get("id").asText());
        out.put("execution", payload.get("execution").asText());
      }
      case "launch" -> tokens.add(payload.get("token").asText());
      case "compensate" -> {
        out.put("error", "HostFailed");
        out.put("cause", payload.path("error").path("Error").asText() + " / "
            + payload.path("error").path("Cause").asText());
      }
      default -> throw new LocalStepFunctions.NoSuchFunction(function);
    }
    return out;
  }

  private String startExecution(String name) {
    return sfn.startExecution(r -> r.stateMachineArn(machineArn).name(name).input("{\"id\": \"" + name + "\"}"))
        .executionArn();
  }

  private DescribeExecutionResponse awaitEnd(String arn) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(arn));
      if (d.status() != ExecutionStatus.RUNNING) {
        return d;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("execution did not end: " + arn);
  }

  @Test
  void executionsAreDatedByTheServicesClockAndItsMachinesAreListed() throws Exception {
    stop();
    Instant ahead = Instant.parse("2031-05-04T03:02:01Z");
    local = LocalStepFunctions.start(0, this::invoke, new LocalStepFunctions.Options("us-east-1", "123456789012", 0.01,
        java.time.Clock.fixed(ahead, java.time.ZoneOffset.UTC)));
    machineArn = local.createStateMachine("Provision",
        AslDefinition.load(DEFINITION, Map.of("Timeout", "3", "Heartbeat", "2")));
    sfn = SfnClient.builder().endpointOverride(URI.create(local.endpoint())).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
        .httpClient(UrlConnectionHttpClient.create()).build();

    String arn = startExecution("h-clock");

    assertEquals(ahead, sfn.describeExecution(r -> r.executionArn(arn)).startDate());
    assertEquals(List.of("Provision"), sfn.listStateMachines(r -> { }).stateMachines().stream()
        .map(m -> m.name()).toList());
    assertEquals(machineArn, sfn.listStateMachines(r -> { }).stateMachines().getFirst().stateMachineArn());
  }

  @Test
  void aCallbackCompletesTheWaitingTask() throws Exception {
    String arn = startExecution("h-1");
    String token = tokens.poll(5, TimeUnit.SECONDS);
    sfn.sendTaskSuccess(r -> r.taskToken(token).output("{\"dns\": \"ip-10-0-0-1\"}"));
    DescribeExecutionResponse done = awaitEnd(arn);
    assertEquals(ExecutionStatus.SUCCEEDED, done.status());
    JsonNode output = JSON.readTree(done.output());
    assertEquals("h-1", output.get("id").asText());
    assertEquals(arn, output.get("execution").asText(), "$$.Execution.Id is the execution ARN");
    assertEquals("ip-10-0-0-1", output.at("/ready/dns").asText());
    assertThrows(TaskTimedOutException.class,
        () -> sfn.sendTaskSuccess(r -> r.taskToken(token).output("{}")),
        "a token of a closed task is refused");
  }

  @Test
  void aCallbackFailureGoesThroughCompensateToFail() throws Exception {
    String arn = startExecution("h-2");
    String token = tokens.poll(5, TimeUnit.SECONDS);
    sfn.sendTaskFailure(r -> r.taskToken(token).error("BootstrapFailed").cause("step dockerd failed"));
    DescribeExecutionResponse done = awaitEnd(arn);
    assertEquals(ExecutionStatus.FAILED, done.status());
    assertEquals("HostFailed", done.error());
    assertEquals("BootstrapFailed / step dockerd failed", done.cause());
    assertEquals(1, invocations.get("compensate").get());
  }

  @Test
  void heartbeatsKeepATaskAliveAndTheirAbsenceTimesItOut() throws Exception {
    stop();
    start("30", "1");
    String arn = startExecution("h-3");
    String token = tokens.poll(5, TimeUnit.SECONDS);
    for (int i = 0; i < 3; i++) {
      Thread.sleep(500);
      sfn.sendTaskHeartbeat(r -> r.taskToken(token));
    }
    assertEquals(ExecutionStatus.RUNNING, sfn.describeExecution(r -> r.executionArn(arn)).status(),
        "1.5 s with heartbeats every 0.5 s outlives a 1 s heartbeat timeout");
    DescribeExecutionResponse done = awaitEnd(arn);
    assertEquals(ExecutionStatus.FAILED, done.status());
    assertTrue(done.cause().startsWith("States.HeartbeatTimeout"), done.cause());
  }

  @Test
  void aTaskThatNeverCallsBackTimesOut() throws Exception {
    String arn = startExecution("h-4");
    DescribeExecutionResponse done = awaitEnd(arn);
    assertEquals(ExecutionStatus.FAILED, done.status());
    assertTrue(done.cause().startsWith("States.Timeout") || done.cause().startsWith("States.HeartbeatTimeout"),
        done.cause());
  }

  @Test
  void retriesTransientErrorsWithBackoffButNotOthers() throws Exception {
    prepareFailuresLeft = 2;
    String arn = startExecution("h-5");
    assertFalse(tokens.poll(5, TimeUnit.SECONDS).isEmpty(), "two retries, then launch");
    assertEquals(3, invocations.get("prepare").get());
    sfn.stopExecution(r -> r.executionArn(arn).error("Cancelled").cause("test"));

    prepareFailuresLeft = 1;
    prepareError = "ValidationFailed";
    String arn2 = startExecution("h-6");
    DescribeExecutionResponse done = awaitEnd(arn2);
    assertEquals(ExecutionStatus.FAILED, done.status());
    assertTrue(done.cause().startsWith("ValidationFailed / "), done.cause());
    assertTrue(done.cause().contains("prepare broke"), "the function's message is in the cause");
    assertEquals(4, invocations.get("prepare").get(), "no retry on a validation error");
  }

  @Test
  void startExecutionIsIdempotentForTheSameNameAndInput() throws Exception {
    String first = startExecution("h-7");
    assertEquals(first, startExecution("h-7"));
    assertThrows(ExecutionAlreadyExistsException.class, () -> sfn.startExecution(
        r -> r.stateMachineArn(machineArn).name("h-7").input("{\"id\": \"other\"}")));
    assertEquals(1, sfn.listExecutions(r -> r.stateMachineArn(machineArn).statusFilter("RUNNING"))
        .executions().size());
    sfn.stopExecution(r -> r.executionArn(first).cause("done"));
    assertEquals(ExecutionStatus.ABORTED, awaitEnd(first).status());
  }

  @Test
  void historyRecordsTheTaskParametersWithTheToken() throws Exception {
    String arn = startExecution("h-8");
    String token = tokens.poll(5, TimeUnit.SECONDS);
    List<String> scheduled = sfn.getExecutionHistory(r -> r.executionArn(arn).reverseOrder(true))
        .events().stream()
        .filter(e -> e.type() == HistoryEventType.TASK_SCHEDULED)
        .map(e -> e.taskScheduledEventDetails().parameters())
        .toList();
    assertTrue(scheduled.getFirst().contains(token), "the newest TaskScheduled carries the token");
    sfn.stopExecution(r -> r.executionArn(arn));
    assertTrue(local.awaitIdle(Duration.ofSeconds(5)));
  }
}

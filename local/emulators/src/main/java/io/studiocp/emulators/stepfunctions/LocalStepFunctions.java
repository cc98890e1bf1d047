package io.studiocp.emulators.stepfunctions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.http.AwsJsonError;
import io.studiocp.emulators.http.AwsJsonServer;
import io.studiocp.emulators.stepfunctions.Execution.Status;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Step Functions on one machine: state machines loaded from ASL, executions run in-process, and an
 * endpoint speaking the Step Functions JSON 1.0 protocol, so that the real SDK clients and the
 * real {@code aws stepfunctions ... --endpoint-url} work against it (StartExecution,
 * DescribeExecution, ListExecutions, StopExecution, GetExecutionHistory, SendTaskSuccess,
 * SendTaskFailure, SendTaskHeartbeat, DescribeStateMachine, ListStateMachines).
 *
 * <p>Requests are not checked for SigV4 signatures: every caller is trusted, as on loopback.
 */
public final class LocalStepFunctions implements AutoCloseable {

  /**
   * Options of the local service; {@code retryDelayScale} shrinks Retry waits (1 = as written);
   * {@code clock} dates executions and their events (the sandbox's, which can move forward).
   */
  public record Options(String region, String accountId, double retryDelayScale, Clock clock) {
    public Options(String region, String accountId, double retryDelayScale) {
      this(region, accountId, retryDelayScale, Clock.systemUTC());
    }

    public static Options defaults() {
      return new Options("us-east-1", "123456789012", 1.0);
    }
  }

  record StateMachine(String arn, String name, AslDefinition definition) {}

  /** Thrown by a {@link TaskInvoker} for a function it does not know. */
  public static final class NoSuchFunction extends RuntimeException {
    public NoSuchFunction(String message) {
      super(message);
    }
  }

  private static final Pattern EXECUTION_NAME = Pattern.compile("[^\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/]{1,80}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Options options;
  private final TaskInvoker invoker;
  private final AwsJsonServer server;
  private final ExecutorService functions = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, StateMachine> machines = new ConcurrentHashMap<>();
  private final Map<String, Execution> executions = new ConcurrentHashMap<>();
  private final Map<String, Execution> tokens = new ConcurrentHashMap<>();
  private final List<Consumer<ObjectNode>> endListeners = new CopyOnWriteArrayList<>();

  private LocalStepFunctions(int port, TaskInvoker invoker, Options options) {
    this.options = options;
    this.invoker = invoker;
    this.server = AwsJsonServer.start(port, "AWSStepFunctions", "1.0", this::handle);
  }

  public static LocalStepFunctions start(int port, TaskInvoker invoker, Options options) {
    return new LocalStepFunctions(port, invoker, options);
  }

  public String endpoint() {
    return server.endpoint();
  }

  /** The service's time: what executions start, stop and record their events at. */
  Instant now() {
    return options.clock().instant();
  }

  /**
   * Hands every execution's end to {@code listener} as the "Step Functions Execution Status Change"
   * event EventBridge delivers (source {@code aws.states}; detail: executionArn, stateMachineArn,
   * name, status, startDate, stopDate, input, output, error, cause), on the thread that ended it.
   * A listener that throws is logged to stderr and does not change the execution.
   */
  public void onExecutionEnd(Consumer<ObjectNode> listener) {
    endListeners.add(listener);
  }

  void ended(Execution execution) {
    if (endListeners.isEmpty()) {
      return;
    }
    ObjectNode event = JsonNodeFactory.instance.objectNode();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", "Step Functions Execution Status Change");
    event.put("source", "aws.states");
    event.put("account", options.accountId());
    event.put("time", now().truncatedTo(ChronoUnit.SECONDS).toString());
    event.put("region", options.region());
    event.putArray("resources").add(execution.arn());
    ObjectNode detail = event.putObject("detail");
    detail.put("executionArn", execution.arn());
    detail.put("stateMachineArn", execution.machine().arn());
    detail.put("name", execution.name());
    detail.put("status", execution.status().name());
    detail.put("startDate", execution.startDate().toEpochMilli());
    detail.put("stopDate", now().toEpochMilli());
    detail.put("input", execution.inputText());
    detail.put("output", execution.output());
    detail.put("error", execution.error());
    detail.put("cause", execution.cause());
    for (Consumer<ObjectNode> listener : endListeners) {
      try {
        listener.accept(event.deepCopy());
      } catch (RuntimeException e) {
        System.err.println("local step functions: an execution-end listener failed: " + e);
      }
    }
  }

  /** Registers a state machine and returns its ARN. */
  public String createStateMachine(String name, AslDefinition definition) {
    String arn = "arn:aws:states:" + options.region() + ":" + options.accountId() + ":stateMachine:" + name;
    machines.put(arn, new StateMachine(arn, name, definition));
    return arn;
  }

  String region() {
    return options.region();
  }

  String roleArn() {
    return "arn:aws:iam::" + options.accountId() + ":role/local-step-functions";
  }

  double retryDelayScale() {
    return options.retryDelayScale();
  }

  String newToken(Execution execution) {
    byte[] bytes = new byte[96];
    RANDOM.nextBytes(bytes);
    String token = "AQ" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    tokens.put(token, execution);
    return token;
  }

  Future<JsonNode> invokeAsync(String functionName, JsonNode payload) {
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    functions.submit(() -> {
      try {
        result.complete(invoker.invoke(functionName, payload.deepCopy()));
      } catch (TaskInvoker.FunctionError | RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /** Waits until no execution is running, or the timeout passes; true when all have ended. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (executions.values().stream().noneMatch(e -> e.status() == Status.RUNNING)) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  // ---- the protocol --------------------------------------------------------------------------

  private JsonNode handle(String operation, ObjectNode in) {
    return switch (operation) {
      case "StartExecution" -> startExecution(in);
      case "DescribeExecution" -> describeExecution(in);
      case "ListExecutions" -> listExecutions(in);
      case "StopExecution" -> stopExecution(in);
      case "GetExecutionHistory" -> history(in);
      case "SendTaskSuccess" -> sendTaskSuccess(in);
      case "SendTaskFailure" -> sendTaskFailure(in);
      case "SendTaskHeartbeat" -> sendTaskHeartbeat(in);
      case "DescribeStateMachine" -> describeStateMachine(in);
      case "ListStateMachines" -> listStateMachines();
      default -> throw new AwsJsonError("UnknownOperationException",
          "the local Step Functions do not implement " + operation);
    };
  }

  private JsonNode startExecution(ObjectNode in) {
    StateMachine machine = machine(text(in, "stateMachineArn"));
    String name = in.hasNonNull("name") ? in.get("name").asText()
        : UUID.randomUUID().toString();
    if (!EXECUTION_NAME.matcher(name).matches()) {
      throw new AwsJsonError("InvalidName", "Invalid Name: '" + name + "'");
    }
    String inputText = in.hasNonNull("input") ? in.get("input").asText() : "{}";
    JsonNode input;
    try {
      input = Execution.json().readTree(inputText);
    } catch (JsonProcessingException e) {
      throw new AwsJsonError("InvalidExecutionInput", "Invalid State Machine Execution Input: '"
          + e.getOriginalMessage() + "'");
    }
    String arn = "arn:aws:states:" + options.region() + ":" + options.accountId() + ":execution:"
        + machine.name() + ":" + name;
    Execution created = new Execution(this, machine, arn, name, inputText, input, now());
    Execution existing = executions.putIfAbsent(arn, created);
    if (existing != null) {
      if (existing.status() == Status.RUNNING && existing.inputText().equals(inputText)) {
        return startResult(existing);
      }
      throw new AwsJsonError("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
    }
    created.start();
    return startResult(created);
  }

  private static ObjectNode startResult(Execution execution) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("executionArn", execution.arn());
    out.put("startDate", epoch(execution.startDate()));
    return out;
  }

  private JsonNode describeExecution(ObjectNode in) {
    Execution e = execution(text(in, "executionArn"));
    ObjectNode out = summary(e);
    out.put("input", e.inputText());
    if (e.output() != null) {
      out.put("output", e.output());
    }
    if (e.error() != null) {
      out.put("error", e.error());
    }
    if (e.cause() != null) {
      out.put("cause", e.cause());
    }
    return out;
  }

  private JsonNode listExecutions(ObjectNode in) {
    StateMachine machine = machine(text(in, "stateMachineArn"));
    String statusFilter = in.hasNonNull("statusFilter") ? in.get("statusFilter").asText() : null;
    List<Execution> matching = executions.values().stream()
        .filter(e -> e.machine().arn().equals(machine.arn()))
        .filter(e -> statusFilter == null || e.status().name().equals(statusFilter))
        .sorted(Comparator.comparing(Execution::startDate).reversed())
        .toList();
    int max = in.path("maxResults").asInt(0);
    max = max <= 0 ? 100 : Math.min(max, 1000);
    int start = in.hasNonNull("nextToken") ? parseToken(in.get("nextToken").asText()) : 0;
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode list = out.putArray("executions");
    int end = Math.min(matching.size(), start + max);
    for (int i = start; i < end; i++) {
      list.add(summary(matching.get(i)));
    }
    if (end < matching.size()) {
      out.put("nextToken", "page-" + end);
    }
    return out;
  }

  private JsonNode stopExecution(ObjectNode in) {
    Execution e = execution(text(in, "executionArn"));
    e.stop(in.path("error").asText(null), in.path("cause").asText(null));
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("stopDate", epoch(e.stopDate() == null ? now() : e.stopDate()));
    return out;
  }

  private JsonNode history(ObjectNode in) {
    Execution e = execution(text(in, "executionArn"));
    List<Execution.HistoryEvent> events = new ArrayList<>(e.history());
    if (in.path("reverseOrder").asBoolean(false)) {
      Collections.reverse(events);
    }
    int max = in.path("maxResults").asInt(0);
    max = max <= 0 ? 100 : Math.min(max, 1000);
    int start = in.hasNonNull("nextToken") ? parseToken(in.get("nextToken").asText()) : 0;
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode list = out.putArray("events");
    int end = Math.min(events.size(), start + max);
    for (int i = start; i < end; i++) {
      Execution.HistoryEvent event = events.get(i);
      ObjectNode node = list.addObject();
      node.put("timestamp", epoch(event.timestamp()));
      node.put("type", event.type());
      node.put("id", event.id());
      node.put("previousEventId", event.previousEventId());
      node.set(event.detailsField(), event.details());
    }
    if (end < events.size()) {
      out.put("nextToken", "page-" + end);
    }
    return out;
  }

  private JsonNode sendTaskSuccess(ObjectNode in) {
    String token = token(in);
    String outputText = text(in, "output");
    JsonNode output;
    try {
      output = Execution.json().readTree(outputText);
    } catch (JsonProcessingException e) {
      throw new AwsJsonError("InvalidOutput", "Invalid Output: '" + e.getOriginalMessage() + "'");
    }
    deliver(token, new Execution.Success(output));
    return JsonNodeFactory.instance.objectNode();
  }

  private JsonNode sendTaskFailure(ObjectNode in) {
    String token = token(in);
    deliver(token, new Execution.Failure(in.path("error").asText(""), in.path("cause").asText("")));
    return JsonNodeFactory.instance.objectNode();
  }

  private JsonNode sendTaskHeartbeat(ObjectNode in) {
    deliver(token(in), new Execution.Heartbeat());
    return JsonNodeFactory.instance.objectNode();
  }

  private JsonNode describeStateMachine(ObjectNode in) {
    StateMachine machine = machine(text(in, "stateMachineArn"));
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("stateMachineArn", machine.arn());
    out.put("name", machine.name());
    out.put("status", "ACTIVE");
    out.put("type", "STANDARD");
    out.put("roleArn", roleArn());
    out.put("definition", "{}");
    out.put("creationDate", epoch(Instant.EPOCH));
    return out;
  }

  private JsonNode listStateMachines() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    var list = out.putArray("stateMachines");
    machines.values().stream().sorted(Comparator.comparing(StateMachine::name)).forEach(machine -> list.addObject()
        .put("stateMachineArn", machine.arn()).put("name", machine.name()).put("type", "STANDARD")
        .put("creationDate", epoch(Instant.EPOCH)));
    return out;
  }

  private void deliver(String token, Execution.Signal signal) {
    Execution execution = tokens.get(token);
    if (execution == null) {
      throw new AwsJsonError("InvalidToken", "Invalid token");
    }
    if (!execution.signal(token, signal)) {
      throw new AwsJsonError("TaskTimedOut", "Task Timed Out: '" + execution.arn()
          + "': the task of this token has already been closed");
    }
  }

  private static String token(ObjectNode in) {
    String token = text(in, "taskToken");
    if (token.length() > 2048) {
      throw new AwsJsonError("InvalidToken", "Invalid token: longer than 2048 characters");
    }
    return token;
  }

  private ObjectNode summary(Execution e) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("executionArn", e.arn());
    out.put("stateMachineArn", e.machine().arn());
    out.put("name", e.name());
    out.put("status", e.status().name());
    out.put("startDate", epoch(e.startDate()));
    if (e.stopDate() != null) {
      out.put("stopDate", epoch(e.stopDate()));
    }
    return out;
  }

  private StateMachine machine(String arn) {
    StateMachine machine = machines.get(arn);
    if (machine == null) {
      throw new AwsJsonError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
    }
    return machine;
  }

  private Execution execution(String arn) {
    Execution execution = executions.get(arn);
    if (execution == null) {
      throw new AwsJsonError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
    }
    return execution;
  }

  private static int parseToken(String token) {
    try {
      return Integer.parseInt(token.substring(token.indexOf('-') + 1));
    } catch (RuntimeException e) {
      throw new AwsJsonError("InvalidToken", "Invalid pagination token");
    }
  }

  private static String text(ObjectNode in, String field) {
    JsonNode value = in.get(field);
    if (value == null || value.isNull() || value.asText().isEmpty()) {
      throw new AwsJsonError("ValidationException", "1 validation error detected: Value null at '"
          + field + "' failed to satisfy constraint: Member must not be null");
    }
    return value.asText();
  }

  private static double epoch(Instant time) {
    return time.toEpochMilli() / 1000.0;
  }

  /** Stops every running execution and the endpoint. */
  @Override
  public void close() {
    executions.values().forEach(e -> e.stop("States.Aborted", "local Step Functions shut down"));
    server.close();
    functions.shutdownNow();
  }
}

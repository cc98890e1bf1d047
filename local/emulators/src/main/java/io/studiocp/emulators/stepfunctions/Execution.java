package io.studiocp.emulators.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.stepfunctions.AslDefinition.Catcher;
import io.studiocp.emulators.stepfunctions.AslDefinition.Choice;
import io.studiocp.emulators.stepfunctions.AslDefinition.Fail;
import io.studiocp.emulators.stepfunctions.AslDefinition.Pass;
import io.studiocp.emulators.stepfunctions.AslDefinition.PathField;
import io.studiocp.emulators.stepfunctions.AslDefinition.Retrier;
import io.studiocp.emulators.stepfunctions.AslDefinition.State;
import io.studiocp.emulators.stepfunctions.AslDefinition.Succeed;
import io.studiocp.emulators.stepfunctions.AslDefinition.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One run of a state machine, on its own virtual thread. */
final class Execution {

  enum Status { RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED }

  /** What reaches a task that waits for its token. */
  sealed interface Signal permits Success, Failure, Heartbeat, Stop {}

  record Success(JsonNode output) implements Signal {}

  record Failure(String error, String cause) implements Signal {}

  record Heartbeat() implements Signal {}

  record Stop() implements Signal {}

  record HistoryEvent(long id, long previousEventId, Instant timestamp, String type,
      String detailsField, ObjectNode details) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalStepFunctions service;
  private final LocalStepFunctions.StateMachine machine;
  private final String arn;
  private final String name;
  private final String inputText;
  private final JsonNode input;
  private final Instant startDate;
  private final List<HistoryEvent> history = new ArrayList<>();
  private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();

  private volatile Status status = Status.RUNNING;
  private volatile Instant stopDate;
  private volatile String output;
  private volatile String error;
  private volatile String cause;
  private volatile String currentToken;
  private volatile Thread runner;

  Execution(LocalStepFunctions service, LocalStepFunctions.StateMachine machine, String arn,
      String name, String inputText, JsonNode input, Instant startDate) {
    this.service = service;
    this.machine = machine;
    this.arn = arn;
    this.name = name;
    this.inputText = inputText;
    this.input = input;
    this.startDate = startDate;
  }

  void start() {
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    details.put("input", inputText);
    details.put("roleArn", service.roleArn());
    record("ExecutionStarted", "executionStartedEventDetails", details);
    runner = Thread.ofVirtual().name("sfn-" + name).start(this::run);
    Integer timeout = machine.definition().timeoutSeconds();
    if (timeout != null) {
      Thread.ofVirtual().start(() -> {
        try {
          Thread.sleep(TimeUnit.SECONDS.toMillis(timeout));
          finish(Status.TIMED_OUT, null, "States.Timeout",
              "The execution exceeded its TimeoutSeconds of " + timeout);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
  }

  // ---- what the service asks -----------------------------------------------------------------

  String arn() {
    return arn;
  }

  String name() {
    return name;
  }

  String inputText() {
    return inputText;
  }

  Instant startDate() {
    return startDate;
  }

  Status status() {
    return status;
  }

  Instant stopDate() {
    return stopDate;
  }

  String output() {
    return output;
  }

  String error() {
    return error;
  }

  String cause() {
    return cause;
  }

  LocalStepFunctions.StateMachine machine() {
    return machine;
  }

  synchronized List<HistoryEvent> history() {
    return List.copyOf(history);
  }

  /** Delivers a signal for {@code token}; false when that token's task is not waiting any more. */
  boolean signal(String token, Signal signal) {
    if (status != Status.RUNNING || !token.equals(currentToken)) {
      return false;
    }
    signals.add(signal);
    return true;
  }

  void stop(String stopError, String stopCause) {
    if (finish(Status.ABORTED, null, stopError, stopCause)) {
      signals.add(new Stop());
    }
  }

  // ---- the run -------------------------------------------------------------------------------

  private void run() {
    JsonNode data = input;
    String current = machine.definition().startAt();
    try {
      while (status == Status.RUNNING) {
        State state = machine.definition().state(current);
        Step step = switch (state) {
          case Task task -> runTask(task, data);
          case Pass pass -> runPass(pass, data);
          case Choice choice -> runChoice(choice, data);
          case Fail fail -> runFail(fail, data);
          case Succeed succeed -> runSucceed(succeed, data);
        };
        if (step == null) {
          return;
        }
        data = step.output();
        if (step.next() == null) {
          finish(Status.SUCCEEDED, data.toString(), null, null);
          return;
        }
        current = step.next();
      }
    } catch (StateFailure failure) {
      finish(Status.FAILED, null, failure.error(), failure.cause());
    } catch (InterruptedException e) {
      // stopped or timed out: finish() has recorded why
    } catch (RuntimeException e) {
      finish(Status.FAILED, null, "States.Runtime", "local executor defect: " + e);
    }
  }

  private record Step(String next, JsonNode output) {}

  private Step runTask(Task task, JsonNode data) throws InterruptedException {
    entered(task.name(), "TaskStateEntered", data);
    JsonNode effective = inputPath(task.inputPath(), data, task.name());
    int[] attempts = new int[task.retry().size()];
    int retryCount = 0;
    while (true) {
      try {
        JsonNode raw = attempt(task, effective, retryCount);
        JsonNode selected = task.resultSelector() == null ? raw
            : task.resultSelector().apply(raw, context(task.name(), retryCount, null), task.name());
        JsonNode out = outputPath(task.outputPath(),
            resultPath(task.resultPath(), data, selected, task.name()), task.name());
        exited(task.name(), "TaskStateExited", out);
        return new Step(task.next(), out);
      } catch (StateFailure failure) {
        if (status != Status.RUNNING) {
          return null;
        }
        if (isUncatchable(failure.error())) {
          throw failure;
        }
        int index = matchingRetrier(task.retry(), failure.error());
        if (index >= 0 && attempts[index] < task.retry().get(index).maxAttempts()) {
          Thread.sleep(retryDelayMillis(task.retry().get(index), attempts[index]));
          attempts[index]++;
          retryCount++;
          continue;
        }
        for (Catcher catcher : task.catchers()) {
          if (matches(catcher.errorEquals(), failure.error())) {
            ObjectNode errorOutput = JsonNodeFactory.instance.objectNode();
            errorOutput.put("Error", failure.error());
            errorOutput.put("Cause", failure.cause());
            JsonNode out = resultPath(catcher.resultPath(), data, errorOutput, task.name());
            exited(task.name(), "TaskStateExited", out);
            return new Step(catcher.next(), out);
          }
        }
        throw failure;
      }
    }
  }

  /** One try of a task: invoke the function and, for .waitForTaskToken, wait for the callback. */
  private JsonNode attempt(Task task, JsonNode effective, int retryCount) throws InterruptedException {
    String token = task.waitsForTaskToken() ? service.newToken(this) : null;
    signals.clear();
    currentToken = token;
    try {
      JsonNode parameters = task.parameters().apply(effective, context(task.name(), retryCount, token),
          task.name());
      String functionName = parameters.path("FunctionName").asText();
      JsonNode payload = parameters.has("Payload") ? parameters.get("Payload")
          : JsonNodeFactory.instance.objectNode();
      ObjectNode scheduled = JsonNodeFactory.instance.objectNode();
      scheduled.put("resourceType", "lambda");
      scheduled.put("resource", task.waitsForTaskToken() ? "invoke.waitForTaskToken" : "invoke");
      scheduled.put("region", service.region());
      scheduled.put("parameters", parameters.toString());
      if (task.timeoutSeconds() != null) {
        scheduled.put("timeoutInSeconds", task.timeoutSeconds());
      }
      if (task.heartbeatSeconds() != null) {
        scheduled.put("heartbeatInSeconds", task.heartbeatSeconds());
      }
      record("TaskScheduled", "taskScheduledEventDetails", scheduled);

      long started = System.nanoTime();
      long deadline = task.timeoutSeconds() == null ? Long.MAX_VALUE
          : started + TimeUnit.SECONDS.toNanos(task.timeoutSeconds());
      JsonNode functionResult = invoke(task, functionName, payload, deadline);
      if (!task.waitsForTaskToken()) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("ExecutedVersion", "$LATEST");
        result.set("Payload", functionResult);
        result.put("StatusCode", 200);
        taskSucceeded(task, result);
        return result;
      }
      JsonNode callback = awaitCallback(task, deadline);
      taskSucceeded(task, callback);
      return callback;
    } finally {
      currentToken = null;
    }
  }

  private JsonNode invoke(Task task, String functionName, JsonNode payload, long deadline)
      throws InterruptedException {
    Future<JsonNode> call = service.invokeAsync(functionName, payload);
    try {
      long wait = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
      return wait == Long.MAX_VALUE ? call.get() : call.get(Math.max(0, wait), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw taskFailed(task, "States.Timeout", "Task timed out while invoking " + functionName);
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable failure = e.getCause();
      if (failure instanceof TaskInvoker.FunctionError functionError) {
        ObjectNode errorPayload = JsonNodeFactory.instance.objectNode();
        errorPayload.put("errorMessage", functionError.getMessage());
        errorPayload.put("errorType", functionError.errorType());
        errorPayload.putArray("stackTrace");
        throw taskFailed(task, functionError.errorType(), errorPayload.toString());
      }
      if (failure instanceof LocalStepFunctions.NoSuchFunction missing) {
        throw taskFailed(task, "Lambda.ResourceNotFoundException", missing.getMessage());
      }
      throw taskFailed(task, "Lambda.ServiceException", String.valueOf(failure));
    }
  }

  private JsonNode awaitCallback(Task task, long deadline) throws InterruptedException {
    long heartbeat = task.heartbeatSeconds() == null ? Long.MAX_VALUE
        : TimeUnit.SECONDS.toNanos(task.heartbeatSeconds());
    long heartbeatDeadline = heartbeat == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + heartbeat;
    while (true) {
      long now = System.nanoTime();
      long until = Math.min(deadline, heartbeatDeadline);
      Signal signal = until == Long.MAX_VALUE ? signals.take()
          : signals.poll(Math.max(0, until - now), TimeUnit.NANOSECONDS);
      if (signal == null) {
        if (System.nanoTime() >= deadline) {
          throw taskTimedOut(task, "States.Timeout", "The task did not report back within "
              + task.timeoutSeconds() + " seconds (TimeoutSeconds).");
        }
        throw taskTimedOut(task, "States.HeartbeatTimeout", "The task sent no heartbeat for "
            + task.heartbeatSeconds() + " seconds (HeartbeatSeconds).");
      }
      switch (signal) {
        case Success success -> {
          return success.output();
        }
        case Failure failure -> throw taskFailed(task, failure.error(), failure.cause());
        case Heartbeat beat -> heartbeatDeadline =
            heartbeat == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + heartbeat;
        case Stop stop -> throw new InterruptedException("execution stopped");
      }
    }
  }

  private void taskSucceeded(Task task, JsonNode result) {
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    details.put("resourceType", "lambda");
    details.put("resource", task.waitsForTaskToken() ? "invoke.waitForTaskToken" : "invoke");
    details.put("output", result.toString());
    record("TaskSucceeded", "taskSucceededEventDetails", details);
  }

  private StateFailure taskFailed(Task task, String failureError, String failureCause) {
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    details.put("resourceType", "lambda");
    details.put("resource", task.waitsForTaskToken() ? "invoke.waitForTaskToken" : "invoke");
    details.put("error", failureError);
    details.put("cause", failureCause);
    record("TaskFailed", "taskFailedEventDetails", details);
    return new StateFailure(failureError, failureCause);
  }

  private StateFailure taskTimedOut(Task task, String failureError, String failureCause) {
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    details.put("resourceType", "lambda");
    details.put("resource", "invoke.waitForTaskToken");
    details.put("error", failureError);
    details.put("cause", failureCause);
    record("TaskTimedOut", "taskTimedOutEventDetails", details);
    return new StateFailure(failureError, failureCause);
  }

  private Step runPass(Pass pass, JsonNode data) {
    entered(pass.name(), "PassStateEntered", data);
    JsonNode effective = inputPath(pass.inputPath(), data, pass.name());
    JsonNode result = pass.result() != null ? pass.result()
        : pass.parameters() != null ? pass.parameters().apply(effective, context(pass.name(), 0, null), pass.name())
        : effective;
    JsonNode out = outputPath(pass.outputPath(), resultPath(pass.resultPath(), data, result, pass.name()),
        pass.name());
    exited(pass.name(), "PassStateExited", out);
    return new Step(pass.next(), out);
  }

  private Step runChoice(Choice choice, JsonNode data) {
    entered(choice.name(), "ChoiceStateEntered", data);
    JsonNode effective = inputPath(choice.inputPath(), data, choice.name());
    JsonNode context = context(choice.name(), 0, null);
    String next = null;
    for (AslDefinition.ChoiceRule rule : choice.choices()) {
      JsonNode value = rule.variable().read(effective, context).orElse(null);
      if (value != null && value.isBoolean() && value.asBoolean() == rule.equals()) {
        next = rule.next();
        break;
      }
    }
    if (next == null) {
      if (choice.defaultNext() == null) {
        throw new StateFailure("States.NoChoiceMatched", "no Choices rule of state '" + choice.name()
            + "' matched and it has no Default");
      }
      next = choice.defaultNext();
    }
    JsonNode out = outputPath(choice.outputPath(), effective, choice.name());
    exited(choice.name(), "ChoiceStateExited", out);
    return new Step(next, out);
  }

  private Step runFail(Fail fail, JsonNode data) {
    entered(fail.name(), "FailStateEntered", data);
    JsonNode context = context(fail.name(), 0, null);
    String failError = fail.errorPath() != null
        ? fail.errorPath().require(data, context, fail.name()).asText() : fail.error();
    String failCause = fail.causePath() != null
        ? fail.causePath().require(data, context, fail.name()).asText() : fail.cause();
    finish(Status.FAILED, null, failError, failCause);
    return null;
  }

  private Step runSucceed(Succeed succeed, JsonNode data) {
    entered(succeed.name(), "SucceedStateEntered", data);
    JsonNode out = outputPath(succeed.outputPath(), inputPath(succeed.inputPath(), data, succeed.name()),
        succeed.name());
    exited(succeed.name(), "SucceedStateExited", out);
    finish(Status.SUCCEEDED, out.toString(), null, null);
    return null;
  }

  // ---- paths ---------------------------------------------------------------------------------

  private JsonNode inputPath(PathField field, JsonNode data, String where) {
    if (field.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    return field.path().require(data, context(where, 0, null), where);
  }

  private JsonNode outputPath(PathField field, JsonNode data, String where) {
    if (field.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    return field.path().require(data, context(where, 0, null), where);
  }

  private static JsonNode resultPath(PathField field, JsonNode data, JsonNode result, String where) {
    if (field.isNull()) {
      return data;
    }
    return field.path().write(data, result, where);
  }

  private JsonNode context(String stateName, int retryCount, String token) {
    ObjectNode context = JsonNodeFactory.instance.objectNode();
    ObjectNode execution = context.putObject("Execution");
    execution.put("Id", arn);
    execution.set("Input", input);
    execution.put("Name", name);
    execution.put("RoleArn", service.roleArn());
    execution.put("StartTime", startDate.toString());
    ObjectNode state = context.putObject("State");
    state.put("EnteredTime", service.now().toString());
    state.put("Name", stateName);
    state.put("RetryCount", retryCount);
    ObjectNode stateMachine = context.putObject("StateMachine");
    stateMachine.put("Id", machine.arn());
    stateMachine.put("Name", machine.name());
    if (token != null) {
      context.putObject("Task").put("Token", token);
    }
    return context;
  }

  // ---- errors --------------------------------------------------------------------------------

  private static boolean isUncatchable(String errorName) {
    return "States.Runtime".equals(errorName) || "States.DataLimitExceeded".equals(errorName);
  }

  private static int matchingRetrier(List<Retrier> retriers, String errorName) {
    for (int i = 0; i < retriers.size(); i++) {
      if (matches(retriers.get(i).errorEquals(), errorName)) {
        return i;
      }
    }
    return -1;
  }

  static boolean matches(List<String> errorEquals, String errorName) {
    for (String candidate : errorEquals) {
      if (candidate.equals("States.ALL") || candidate.equals(errorName)
          || (candidate.equals("States.TaskFailed") && !errorName.equals("States.Timeout"))) {
        return true;
      }
    }
    return false;
  }

  private long retryDelayMillis(Retrier retrier, int attempt) {
    double seconds = retrier.intervalSeconds() * Math.pow(retrier.backoffRate(), attempt);
    if (retrier.maxDelaySeconds() != null) {
      seconds = Math.min(seconds, retrier.maxDelaySeconds());
    }
    if (retrier.fullJitter()) {
      seconds = ThreadLocalRandom.current().nextDouble() * seconds;
    }
    return Math.round(seconds * 1000 * service.retryDelayScale());
  }

  // ---- bookkeeping ---------------------------------------------------------------------------

  private boolean finish(Status finalStatus, String finalOutput, String finalError, String finalCause) {
    synchronized (this) {
      if (status != Status.RUNNING) {
        return false;
      }
      status = finalStatus;
      stopDate = service.now();
      output = finalOutput;
      error = finalError;
      cause = finalCause;
      ObjectNode details = JsonNodeFactory.instance.objectNode();
      switch (finalStatus) {
        case SUCCEEDED -> {
          details.put("output", finalOutput);
          record("ExecutionSucceeded", "executionSucceededEventDetails", details);
        }
        case FAILED -> {
          details.put("error", finalError);
          details.put("cause", finalCause);
          record("ExecutionFailed", "executionFailedEventDetails", details);
        }
        case TIMED_OUT -> {
          details.put("error", finalError);
          details.put("cause", finalCause);
          record("ExecutionTimedOut", "executionTimedOutEventDetails", details);
        }
        case ABORTED -> {
          details.put("error", finalError);
          details.put("cause", finalCause);
          record("ExecutionAborted", "executionAbortedEventDetails", details);
        }
        case RUNNING -> throw new IllegalStateException("cannot finish as RUNNING");
      }
    }
    service.ended(this);
    Thread thread = runner;
    if (finalStatus != Status.SUCCEEDED && finalStatus != Status.FAILED && thread != null
        && thread != Thread.currentThread()) {
      thread.interrupt();
    }
    return true;
  }

  private void entered(String stateName, String type, JsonNode data) {
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    details.put("name", stateName);
    details.put("input", data.toString());
    record(type, "stateEnteredEventDetails", details);
  }

  private void exited(String stateName, String type, JsonNode data) {
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    details.put("name", stateName);
    details.put("output", data.toString());
    record(type, "stateExitedEventDetails", details);
  }

  private synchronized void record(String type, String detailsField, ObjectNode details) {
    long id = history.size() + 1;
    history.add(new HistoryEvent(id, id - 1, service.now(), type, detailsField, details));
  }

  static ObjectMapper json() {
    return JSON;
  }
}

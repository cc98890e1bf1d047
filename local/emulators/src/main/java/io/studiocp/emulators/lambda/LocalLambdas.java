package io.studiocp.emulators.lambda;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.studiocp.emulators.stepfunctions.LocalStepFunctions;
import io.studiocp.emulators.stepfunctions.TaskInvoker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Lambda functions run in this process: the same handler objects AWS would run, invoked with a
 * JSON payload, failing the way Lambda reports a Java failure (the error is named after the
 * exception's class, so Retry and Catch in the state machine see what they would see in AWS).
 */
public final class LocalLambdas implements TaskInvoker {

  /** One finished invocation, for whoever wants to watch (the sandbox's timings). */
  public record Invocation(String functionName, long startedNanos, long endedNanos, String errorType) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, RequestStreamHandler> handlers = new ConcurrentHashMap<>();
  private volatile Consumer<Invocation> listener = invocation -> { };

  /** Registers a function under the name or ARN the state machine uses for it. */
  public LocalLambdas register(String functionName, RequestStreamHandler handler) {
    handlers.put(functionName, handler);
    return this;
  }

  public void onInvocation(Consumer<Invocation> listener) {
    this.listener = listener;
  }

  @Override
  public JsonNode invoke(String functionName, JsonNode payload) throws FunctionError {
    RequestStreamHandler handler = handlers.get(functionName);
    if (handler == null) {
      throw new LocalStepFunctions.NoSuchFunction("Function not found: " + functionName);
    }
    long started = System.nanoTime();
    String errorType = null;
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(payload)), out,
          new LocalContext(shortName(functionName)));
      return out.size() == 0 ? NullNode.getInstance() : JSON.readTree(out.toByteArray());
    } catch (IOException | RuntimeException | Error e) {
      errorType = e.getClass().getName();
      throw new FunctionError(errorType, String.valueOf(e.getMessage()));
    } finally {
      listener.accept(new Invocation(functionName, started, System.nanoTime(), errorType));
    }
  }

  private static String shortName(String functionName) {
    String[] parts = functionName.split(":");
    return parts.length >= 7 ? parts[6] : functionName;
  }
}

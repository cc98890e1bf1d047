package io.studiocp.platform.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A workflow step as a Lambda handler: JSON in, one use case, JSON out, with structured logs and
 * one summary line per invocation ({@code step}, {@code outcome}, {@code duration_ms}, the
 * {@code host_id} when the input names one, and the {@code error} when it failed).
 * Failures propagate, so Step Functions sees the exception's class as the error name: Retry
 * matches {@code TransientAwsException}, everything else goes to Compensate.
 *
 * @param <I> the step's input record
 * @param <O> what it returns
 */
public abstract class StepHandler<I, O> implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(StepHandler.class);

  private final FunctionLog log;
  private final Class<I> inputType;
  private final Function<I, O> step;
  private final Priming priming;

  /**
   * @param primeClients the step's SDK calls as priming calls (see {@link Priming}); with the
   *     reader of its input and the writer of its answer, its SnapStart priming hook
   */
  protected StepHandler(Class<I> inputType, Class<O> outputType, Function<I, O> step, Env env, Runnable primeClients) {
    this.log = FunctionLog.of(env);
    this.inputType = inputType;
    this.step = step;
    this.priming = Priming.register(env, Priming.reader(inputType), Priming.writer(outputType), primeClients);
  }

  /** The SnapStart priming hook (what beforeCheckpoint runs). */
  public final Priming priming() {
    return priming;
  }

  /** The step's name, as the state machine calls it: the handler's class name without "Handler". */
  public String stepName() {
    return getClass().getSimpleName().replaceFirst("Handler$", "");
  }

  @Override
  public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    I request = Json.mapper().readValue(input, inputType);
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("step", stepName());
    fields.put("host_id", hostId(request));
    O result = log.invocation(context, () -> FunctionLog.timed(LOG, "step " + stepName(), fields,
        () -> step.apply(request)));
    Json.mapper().writeValue(output, result);
  }

  /** The host a step's input is about: its {@code hostId}, or its plan's. */
  static String hostId(Object input) {
    if (input == null || !input.getClass().isRecord()) {
      return null;
    }
    for (RecordComponent component : input.getClass().getRecordComponents()) {
      if (component.getName().equals("hostId") || component.getName().equals("plan")) {
        try {
          Object value = component.getAccessor().invoke(input);
          return component.getName().equals("hostId") ? (value == null ? null : value.toString()) : hostId(value);
        } catch (ReflectiveOperationException e) {
          return null;
        }
      }
    }
    return null;
  }
}

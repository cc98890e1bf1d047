package io.studiocp.platform.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Function;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * A workflow step as a Lambda handler: JSON in, one use case, JSON out, with structured logs.
 * Failures propagate, so Step Functions sees the exception's class as the error name: Retry
 * matches {@code TransientAwsException}, everything else goes to Compensate.
 *
 * @param <I> the step's input record
 * @param <O> what it returns
 */
public abstract class StepHandler<I, O> implements RequestStreamHandler {

  private final Class<I> inputType;
  private final Function<I, O> step;
  private final Priming priming;

  /**
   * @param primeClients the step's SDK calls as priming calls (see {@link Priming}); with the
   *     reader of its input and the writer of its answer, its SnapStart priming hook
   */
  protected StepHandler(Class<I> inputType, Class<O> outputType, Function<I, O> step, Env env, Runnable primeClients) {
    this.inputType = inputType;
    this.step = step;
    this.priming = Priming.register(env, Priming.reader(inputType), Priming.writer(outputType), primeClients);
  }

  /** The SnapStart priming hook (what beforeCheckpoint runs). */
  public final Priming priming() {
    return priming;
  }

  @Override
  public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    I request = Json.mapper().readValue(input, inputType);
    O result = PowertoolsLogging.withLogging(context, () -> step.apply(request));
    Json.mapper().writeValue(output, result);
  }
}

package io.studiocp.platform.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import io.studiocp.platform.Env;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * How a function logs an invocation: Powertools' JSON lines with the Lambda context, under the
 * function's own service name, and one summary line per invocation whose fields are top-level
 * JSON keys (a request's method, route, status, duration and actor; a step's outcome and duration).
 *
 * <p>The service name is the function's {@code POWERTOOLS_SERVICE_NAME} as its {@link Env} has it.
 * Powertools reads that variable once per process, which in Lambda is one function; the sandbox
 * runs every function in one process, each with its own {@code Env}, so it is set per invocation.
 */
public final class FunctionLog {

  /** The variable naming a function's service, as Powertools reads it. */
  public static final String SERVICE_NAME = "POWERTOOLS_SERVICE_NAME";

  private final String service;

  private FunctionLog(String service) {
    this.service = service;
  }

  /** What Powertools calls a service that has no name; template.yaml names every function's. */
  public static final String UNNAMED = "service_undefined";

  /** The function's log, named by its {@code POWERTOOLS_SERVICE_NAME}. */
  public static FunctionLog of(Env env) {
    return new FunctionLog(env.optional(SERVICE_NAME).filter(s -> !s.isBlank()).orElse(UNNAMED));
  }

  public String service() {
    return service;
  }

  /** Runs one invocation with the Lambda context and this function's service on every line it logs. */
  public <T> T invocation(Context context, Supplier<T> body) {
    return PowertoolsLogging.withLogging(context, () -> {
      MDC.put("service", service);
      return body.get();
    });
  }

  /**
   * Logs one INFO line whose fields are top-level keys of its JSON (through the MDC, which
   * Powertools' layout writes out), then takes them away again, so no other line carries them.
   */
  public static void summary(Logger log, String message, Map<String, String> fields) {
    Map<String, String> previous = new LinkedHashMap<>();
    fields.forEach((key, value) -> {
      previous.put(key, MDC.get(key));
      if (value != null) {
        MDC.put(key, value);
      }
    });
    try {
      log.info(message);
    } finally {
      previous.forEach((key, value) -> {
        if (value == null) {
          MDC.remove(key);
        } else {
          MDC.put(key, value);
        }
      });
    }
  }

  /**
   * Runs one step of work and logs its summary line: the {@code fields} given (its {@code step},
   * and what it is about) with its {@code outcome} ({@code ok} or {@code failed}), the {@code error}'s
   * class when it failed, and {@code duration_ms}; the message is "{@code label outcome in N ms}".
   */
  public static <T> T timed(Logger log, String label, Map<String, String> fields, Supplier<T> body) {
    return timed(log, label, fields, body, result -> "ok");
  }

  /** As {@link #timed(Logger, String, Map, Supplier)}, with the {@code outcome} a successful result names. */
  public static <T> T timed(Logger log, String label, Map<String, String> fields, Supplier<T> body,
      java.util.function.Function<? super T, String> outcome) {
    long started = System.nanoTime();
    Map<String, String> all = new LinkedHashMap<>(fields);
    try {
      T result = body.get();
      all.put("outcome", outcome.apply(result));
      return result;
    } catch (RuntimeException | Error e) {
      all.put("outcome", "failed");
      all.put("error", e.getClass().getSimpleName());
      throw e;
    } finally {
      all.put("duration_ms", millisSince(started));
      summary(log, label + " " + all.get("outcome") + " in " + all.get("duration_ms") + " ms", all);
    }
  }

  /** Milliseconds since {@code startedNanos}, for a {@code duration_ms} field. */
  public static String millisSince(long startedNanos) {
    return Long.toString((System.nanoTime() - startedNanos) / 1_000_000);
  }
}

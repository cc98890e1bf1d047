package io.studiocp.functions.police;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.platform.lambda.FunctionLog;
import io.studiocp.police.PoliceRun;
import io.studiocp.police.RunReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The police, run by the EventBridge Scheduler schedule or by an admin from the console. The event
 * is {@code {}} (or the schedule's {@code {"source": "schedule"}}) for a run, and
 * {@code {"dryRun": true}} for the plan alone: who would get what, what would be stopped, with
 * nothing sent or changed. It returns the run's report.
 */
public final class PoliceHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(PoliceHandler.class);
  private static final Set<String> FIELDS = Set.of("dryRun", "source");

  private final PoliceRun police;
  private final FunctionLog log;

  public PoliceHandler() {
    this(Env.system());
  }

  public PoliceHandler(Env env) {
    this(env, Clock.systemUTC());
  }

  /** With another clock: tests move time to see reminders, final notices and stops come due. */
  public PoliceHandler(Env env, Clock clock) {
    this.police = PoliceWiring.from(env, clock).police();
    this.log = FunctionLog.of(env);
  }

  /**
   * Runs the police. What goes wrong reaches the caller (the console, the schedule's metrics) as
   * a failed invocation whose message says what to do, never as a stack trace: that goes to the log.
   */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    boolean dryRun = dryRun(readEvent(input));
    RunReport report = log.invocation(context, () -> {
      long started = System.nanoTime();
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("step", dryRun ? "PoliceDryRun" : "PoliceRun");
      try {
        RunReport r = police.run(dryRun);
        LOG.info("police run: {} long-running, actions {}, {} messages, {} problems", r.longRunning(), r.actions(),
            r.deliveries().size(), r.failures().size());
        fields.put("outcome", "ok");
        return r;
      } catch (RuntimeException e) {
        fields.put("outcome", "failed");
        fields.put("error", e.getClass().getSimpleName());
        LOG.error("police run failed", e);
        throw new RunFailed("the police run failed: " + e.getMessage() + "; nothing more was done this run, the next "
            + "run tries again (request id " + context.getAwsRequestId() + " in the function's log)");
      } finally {
        fields.put("duration_ms", FunctionLog.millisSince(started));
        FunctionLog.summary(LOG, fields.get("step") + " " + fields.get("outcome") + " in " + fields.get("duration_ms")
            + " ms", fields);
      }
    });
    Json.mapper().writeValue(output, report);
  }

  private static JsonNode readEvent(InputStream input) throws IOException {
    try {
      return Json.mapper().readTree(input);
    } catch (JsonProcessingException e) {
      throw new InvalidEvent("the event is not JSON: the police take {} for a run or {\"dryRun\": true} for the plan");
    }
  }

  /** Reads the event; anything but the known fields is refused with what to send instead. */
  static boolean dryRun(JsonNode event) {
    if (event == null || event.isNull() || event.isMissingNode()) {
      return false;
    }
    if (!event.isObject()) {
      throw new InvalidEvent("the police take {} for a run or {\"dryRun\": true} for the plan, got " + event);
    }
    for (Iterator<String> it = event.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw new InvalidEvent("unknown field '" + field + "': the police take {} for a run or "
            + "{\"dryRun\": true} for the plan");
      }
    }
    JsonNode dryRun = event.get("dryRun");
    if (dryRun != null && !dryRun.isBoolean()) {
      throw new InvalidEvent("dryRun must be true or false, got " + dryRun);
    }
    return dryRun != null && dryRun.asBoolean();
  }

  /** An event the police do not take: the runtime reports it in one sentence, without a stack trace. */
  static final class InvalidEvent extends IllegalArgumentException {
    InvalidEvent(String message) {
      super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  /** A run that could not finish: its stack trace is in the log, not in the answer. */
  static final class RunFailed extends RuntimeException {
    RunFailed(String message) {
      super(message, null, false, false);
    }
  }
}

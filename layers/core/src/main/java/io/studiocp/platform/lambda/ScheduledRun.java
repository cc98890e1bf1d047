package io.studiocp.platform.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.platform.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The event of a function an EventBridge Scheduler schedule runs (the police, the cleanup), which
 * an admin may also run from the console: {@code {}} (or the schedule's {@code {"source":
 * "schedule"}}) for a run, {@code {"dryRun": true}} for the plan alone. Anything else is refused
 * in one sentence that says what to send.
 */
public final class ScheduledRun {

  private static final Set<String> FIELDS = Set.of("dryRun", "source");

  private ScheduledRun() {}

  /**
   * Whether the event asks for a dry run.
   *
   * @param who the function and its verb in the sentence ("the police take", "the cleanup takes")
   * @throws InvalidEvent naming what to send instead
   */
  public static boolean dryRun(InputStream input, String who) throws IOException {
    JsonNode event;
    try {
      event = Json.mapper().readTree(input);
    } catch (JsonProcessingException e) {
      throw new InvalidEvent("the event is not JSON: " + usage(who));
    }
    return dryRun(event, who);
  }

  public static boolean dryRun(JsonNode event, String who) {
    if (event == null || event.isNull() || event.isMissingNode()) {
      return false;
    }
    if (!event.isObject()) {
      throw new InvalidEvent(usage(who) + ", got " + event);
    }
    for (Iterator<String> it = event.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw new InvalidEvent("unknown field '" + field + "': " + usage(who));
      }
    }
    JsonNode dryRun = event.get("dryRun");
    if (dryRun != null && !dryRun.isBoolean()) {
      throw new InvalidEvent("dryRun must be true or false, got " + dryRun);
    }
    return dryRun != null && dryRun.asBoolean();
  }

  /**
   * Runs one run (or dry run) and logs its summary line: {@code step} ({@code name} or
   * {@code name}DryRun), {@code outcome}, {@code duration_ms} and, when it failed, the {@code error}.
   */
  public static <T> T timed(Logger log, String name, boolean dryRun, Supplier<T> run) {
    String step = dryRun ? name + "DryRun" : name;
    return FunctionLog.timed(log, step, Map.of("step", step), run);
  }

  private static String usage(String who) {
    return who + " {} for a run or {\"dryRun\": true} for the plan";
  }

  /** An event the function does not take: the runtime reports it in one sentence, without a stack trace. */
  public static final class InvalidEvent extends IllegalArgumentException {
    public InvalidEvent(String message) {
      super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  /** A run that could not finish: its stack trace is in the log, not in the answer. */
  public static final class RunFailed extends RuntimeException {
    public RunFailed(String message) {
      super(message, null, false, false);
    }
  }
}

package io.studiocp.functions.police;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.platform.lambda.FunctionLog;
import io.studiocp.platform.lambda.Priming;
import io.studiocp.platform.lambda.ScheduledRun;
import io.studiocp.police.PoliceRun;
import io.studiocp.police.RunReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
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

  private final PoliceRun police;
  private final FunctionLog log;
  private final Priming priming;

  public PoliceHandler() {
    this(Env.system());
  }

  public PoliceHandler(Env env) {
    this(env, Clock.systemUTC());
  }

  /** With another clock: tests move time to see reminders, final notices and stops come due. */
  public PoliceHandler(Env env, Clock clock) {
    PoliceWiring wiring = PoliceWiring.from(env, clock);
    this.police = wiring.police();
    this.log = FunctionLog.of(env);
    this.priming = Priming.register(env, Priming.writer(RunReport.class), wiring.primeClients());
  }

  /** The SnapStart priming hook (what beforeCheckpoint runs). */
  public Priming priming() {
    return priming;
  }

  /**
   * Runs the police. What goes wrong reaches the caller (the console, the schedule's metrics) as
   * a failed invocation whose message says what to do, never as a stack trace: that goes to the log.
   */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    boolean dryRun = ScheduledRun.dryRun(input, "the police take");
    RunReport report = log.invocation(context, () -> {
      try {
        RunReport r = ScheduledRun.timed(LOG, "PoliceRun", dryRun, () -> police.run(dryRun));
        LOG.info("police run: {} long-running, actions {}, {} messages, {} problems", r.longRunning(), r.actions(),
            r.deliveries().size(), r.failures().size());
        return r;
      } catch (RuntimeException e) {
        LOG.error("police run failed", e);
        throw new ScheduledRun.RunFailed("the police run failed: " + e.getMessage() + "; nothing more was done this run, the next "
            + "run tries again (request id " + context.getAwsRequestId() + " in the function's log)");
      }
    });
    Json.mapper().writeValue(output, report);
  }
}

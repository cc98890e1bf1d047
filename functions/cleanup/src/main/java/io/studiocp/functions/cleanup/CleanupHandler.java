package io.studiocp.functions.cleanup;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.studiocp.cleanup.CleanupReport;
import io.studiocp.cleanup.CleanupRun;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.platform.lambda.FunctionLog;
import io.studiocp.platform.lambda.Priming;
import io.studiocp.platform.lambda.ScheduledRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cleanup, run by its EventBridge Scheduler schedule (every 15 minutes by default) or by an
 * admin from the console: {@code {}} for a run, {@code {"dryRun": true}} for the plan alone
 * (events/cleanup-dry-run.json). It returns the run's report: every action, with its reason.
 */
public final class CleanupHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(CleanupHandler.class);

  private final CleanupRun cleanup;
  private final FunctionLog log;
  private final Priming priming;

  public CleanupHandler() {
    this(Env.system());
  }

  public CleanupHandler(Env env) {
    this(env, Clock.systemUTC());
  }

  /** With another clock: tests and the sandbox move time to see expiry and idleness come due. */
  public CleanupHandler(Env env, Clock clock) {
    CleanupWiring wiring = CleanupWiring.from(env, clock);
    this.cleanup = wiring.cleanup();
    this.log = FunctionLog.of(env);
    this.priming = Priming.register(env, Priming.writer(CleanupReport.class), wiring.primeClients());
  }

  /** The SnapStart priming hook (what beforeCheckpoint runs). */
  public Priming priming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    boolean dryRun = ScheduledRun.dryRun(input, "the cleanup takes");
    CleanupReport report = log.invocation(context, () -> {
      try {
        CleanupReport r = ScheduledRun.timed(LOG, "CleanupRun", dryRun, () -> cleanup.run(dryRun));
        LOG.info("cleanup run{}: {} hosts seen, {} actions, {} failures", dryRun ? " (dry run)" : "", r.hostsSeen(),
            r.actions().size(), r.failures().size());
        return r;
      } catch (RuntimeException e) {
        LOG.error("cleanup run failed", e);
        throw new ScheduledRun.RunFailed("the cleanup run failed: " + e.getMessage() + "; the next run tries again "
            + "(request id " + context.getAwsRequestId() + " in the function's log)");
      }
    });
    Json.mapper().writeValue(output, report);
  }
}

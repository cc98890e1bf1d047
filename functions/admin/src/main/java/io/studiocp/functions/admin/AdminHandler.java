package io.studiocp.functions.admin;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.admin.AdminReport;
import io.studiocp.admin.AuditLog;
import io.studiocp.admin.Change;
import io.studiocp.admin.ReportSummary;
import io.studiocp.admin.Target;
import io.studiocp.cleanup.CleanupAction;
import io.studiocp.cleanup.CleanupReport;
import io.studiocp.identity.Actor;
import io.studiocp.identity.CallerPrincipal;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.platform.Rejection;
import io.studiocp.platform.lambda.FunctionLog;
import io.studiocp.platform.lambda.Priming;
import io.studiocp.platform.lambda.ScheduledRun;
import io.studiocp.police.RunReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin console: one function platform admins invoke from the Lambda console with
 * {@code {"action": "...", ...}} (events/admin-<action>.json has each). {@code report} and
 * {@code explain} read; every other action changes something, takes {@code "dryRun": true} for
 * what it would do, and leaves one JSON audit line naming the caller and what changed. A refused
 * event fails the invocation with one sentence naming what to change, and changes nothing.
 */
public final class AdminHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

  private final AdminWiring admin;
  private final Priming priming;
  private final AuditLog audit;
  private final FunctionLog log;

  public AdminHandler() {
    this(Env.system());
  }

  public AdminHandler(Env env) {
    this(env, Clock.systemUTC());
  }

  public AdminHandler(Env env, Clock clock) {
    this(env, clock, new JsonAuditLog(System.out));
  }

  /** With another audit log: tests read the lines. */
  public AdminHandler(Env env, Clock clock, AuditLog audit) {
    this.admin = AdminWiring.from(env, clock);
    this.priming = Priming.register(env, Priming.reader(JsonNode.class), Priming.writer(JsonNode.class),
        admin.primeClients());
    this.audit = audit;
    this.log = FunctionLog.of(env);
  }

  /** The SnapStart priming hook (what beforeCheckpoint runs): the report's calls, answered locally. */
  public Priming priming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    JsonNode event;
    try {
      event = Json.mapper().readTree(input);
    } catch (JsonProcessingException e) {
      throw new AdminConsoleError("the event is not JSON: send {\"action\": \"report\"} or another action");
    }
    AdminEvent request = AdminEvent.parse(event);
    JsonNode answer = log.invocation(context, () -> {
      try {
        return ScheduledRun.timed(LOG, "Admin:" + request.action(), false, () -> handle(request, context));
      } catch (Rejection e) {
        throw new AdminConsoleError(e.getMessage());
      } catch (AdminConsoleError | ScheduledRun.RunFailed e) {
        throw e;
      } catch (RuntimeException e) {
        LOG.error("admin action {} failed", request.action(), e);
        throw new ScheduledRun.RunFailed("the " + request.action() + " action failed: " + e.getMessage()
            + " (request id " + context.getAwsRequestId() + " in the function's log)");
      }
    });
    Json.mapper().writeValue(output, answer);
  }

  private JsonNode handle(AdminEvent event, Context context) {
    Actor actor = console(context);
    boolean dryRun = event.spec().mutating() && event.dryRun();
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("action", event.action());
    switch (event.action()) {
      case "report" -> {
        AdminReport report = admin.reports().report();
        out.put("summary", ReportSummary.render(report));
        out.set("report", Json.mapper().valueToTree(report));
        return out;
      }
      case "explain" -> {
        out.set("explanation", Json.mapper().valueToTree(admin.reports().explain(actor, event.target(), admin.hosts(),
            admin.studio(), admin.explainer())));
        return out;
      }
      default -> { }
    }
    out.put("dryRun", dryRun);
    Change change = switch (event.action()) {
      case "stop-host" -> admin.hosts().stop(actor, event.hostId(), dryRun);
      case "start-host" -> admin.hosts().start(actor, event.hostId(), context.getAwsRequestId(), dryRun);
      case "extend-host" -> admin.hosts().extend(actor, event.hostId(), event.ttlHours(), dryRun);
      case "terminate-host" -> admin.hosts().terminate(actor, event.hostId(), dryRun);
      case "delete-app" -> admin.apps().deleteApp(event.app(), dryRun);
      case "delete-space-apps" -> admin.apps().deleteSpaceApps(event.space(), dryRun);
      case "snooze" -> {
        Target target = event.target();
        yield admin.marks().snooze(actor, target, event.until(), event.reason(false), dryRun);
      }
      case "exempt" -> {
        Target target = event.target();
        yield admin.marks().exempt(actor, target, event.reason(true), dryRun);
      }
      case "unexempt" -> {
        Target target = event.target();
        yield admin.marks().unexempt(actor, target, event.reason(false), dryRun);
      }
      case "police" -> {
        RunReport report = admin.police().run(dryRun);
        out.set("report", Json.mapper().valueToTree(report));
        yield police(report);
      }
      case "cleanup" -> {
        CleanupReport report = admin.cleanup().run(dryRun);
        out.set("report", Json.mapper().valueToTree(report));
        yield cleanup(report);
      }
      default -> throw new IllegalStateException("no handler for " + event.action());
    };
    audit.record(caller(context), change, admin.clock().instant().toString(), auditContext(context));
    out.set("change", Json.mapper().valueToTree(change));
    return out;
  }

  private static Change police(RunReport report) {
    List<String> changes = new ArrayList<>();
    report.items().stream().filter(i -> List.of("REMIND", "FINAL_NOTICE", "STOP").contains(i.action()))
        .forEach(i -> changes.add(i.action() + " " + i.kind() + " " + i.name() + " of " + i.owner()));
    report.deliveries().forEach(d -> changes.add("mail " + d));
    return new Change("police", "every domain policed", report.dryRun(), report.longRunning() + " long-running",
        changes, report.actions() + (report.failures().isEmpty() ? "" : "; problems: " + report.failures()));
  }

  private static Change cleanup(CleanupReport report) {
    List<String> changes = new ArrayList<>();
    for (CleanupAction a : report.actions()) {
      changes.add(a.kind().label() + " " + Optional.ofNullable(a.hostId()).orElse(a.resourceId()) + ": " + a.reason());
    }
    return new Change("cleanup", "every host of the control plane", report.dryRun(), report.hostsSeen() + " hosts seen",
        changes, report.actions().size() + " action(s)" + (report.failures().isEmpty() ? ""
            : "; problems: " + report.failures()));
  }

  /**
   * Who acts: Lambda does not tell a function who invoked it, so the console acts as an admin
   * named by this invocation; CloudTrail's Invoke event with this request id names the principal.
   */
  private static Actor console(Context context) {
    String who = "the admin console (request " + context.getAwsRequestId() + ")";
    return new Actor(new CallerPrincipal(who, "aws", "000000000000", CallerPrincipal.Kind.ROLE, "admin-console",
        Optional.empty()), Optional.empty(), true);
  }

  private static String caller(Context context) {
    return "lambda:InvokeFunction of " + Optional.ofNullable(context.getInvokedFunctionArn()).orElse("AdminFunction")
        + " (request " + context.getAwsRequestId() + "; CloudTrail's Invoke event names the principal)";
  }

  private static Map<String, String> auditContext(Context context) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("requestId", context.getAwsRequestId());
    c.put("function", Optional.ofNullable(context.getFunctionName()).orElse("AdminFunction"));
    return c;
  }
}

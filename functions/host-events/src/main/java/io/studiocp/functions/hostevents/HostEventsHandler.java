package io.studiocp.functions.hostevents;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.hosts.ApplyExecutionEnd;
import io.studiocp.hosts.ApplyInstanceStateChange;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.platform.lambda.FunctionLog;
import io.studiocp.platform.lambda.Priming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two EventBridge rules' events. "EC2 Instance State-change Notification": keeps the state of
 * managed hosts true, and fails the provisioning of a host whose instance stops or goes away.
 * "Step Functions Execution Status Change" of the host workflows ending ABORTED, TIMED_OUT or
 * FAILED: ends what such an execution left ({@link ApplyExecutionEnd}), so a provisioning stopped
 * from the console leaves no instance running and no host PROVISIONING. It reads the fields of
 * interest from the JSON itself.
 */
public final class HostEventsHandler implements RequestStreamHandler {

  static final String DETAIL_TYPE = "EC2 Instance State-change Notification";
  static final String EXECUTION_DETAIL_TYPE = "Step Functions Execution Status Change";
  private static final Logger LOG = LoggerFactory.getLogger(HostEventsHandler.class);

  private final ApplyInstanceStateChange apply;
  private final ApplyExecutionEnd executionEnd;
  private final FunctionLog log;
  private final Priming priming;

  public HostEventsHandler() {
    this(Env.system());
  }

  public HostEventsHandler(Env env) {
    this(env, Clock.systemUTC());
  }

  /** With another clock: the sandbox's, which tests move. */
  public HostEventsHandler(Env env, Clock clock) {
    HostEventsWiring wiring = HostEventsWiring.from(env, clock);
    this.apply = wiring.apply();
    this.executionEnd = wiring.executionEnd();
    this.log = FunctionLog.of(env);
    this.priming = Priming.register(env, Priming.writer(String.class), wiring.primeClients());
  }

  /** The SnapStart priming hook (what beforeCheckpoint runs). */
  public Priming priming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    JsonNode event = Json.mapper().readTree(input);
    String outcome = log.invocation(context, () -> logged(event));
    Json.mapper().writeValue(output, outcome);
  }

  /** Handles the event and logs one line for it: the instance, its state, the outcome and the duration. */
  private String logged(JsonNode event) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (EXECUTION_DETAIL_TYPE.equals(event.path("detail-type").asText())) {
      fields.put("step", "ExecutionStatusChange");
      fields.put("execution_arn", event.at("/detail/executionArn").asText(null));
      fields.put("execution_status", event.at("/detail/status").asText(null));
    } else {
      fields.put("step", "InstanceStateChange");
      fields.put("instance_id", event.at("/detail/instance-id").asText(null));
      fields.put("instance_state", event.at("/detail/state").asText(null));
    }
    return FunctionLog.timed(LOG, fields.get("step"), fields, () -> handle(event), outcome -> outcome);
  }

  /** The outcome's name, for logs and tests. */
  public String handle(JsonNode event) {
    if (EXECUTION_DETAIL_TYPE.equals(event.path("detail-type").asText())) {
      JsonNode detail = event.path("detail");
      ApplyExecutionEnd.Outcome outcome = executionEnd.apply(new ApplyExecutionEnd.ExecutionEnd(
          detail.path("stateMachineArn").asText(""), detail.path("executionArn").asText(null),
          detail.path("status").asText(""), detail.path("input").asText(null), detail.path("error").asText(null),
          detail.path("cause").asText(null)));
      LOG.info("execution {} ended {}: {}", detail.path("executionArn").asText(), detail.path("status").asText(), outcome);
      return outcome.name();
    }
    String instanceId = event.at("/detail/instance-id").asText("");
    String state = event.at("/detail/state").asText("");
    if (!DETAIL_TYPE.equals(event.path("detail-type").asText()) || instanceId.isEmpty() || state.isEmpty()) {
      LOG.warn("not an EC2 instance state change, ignored: {}", event.path("detail-type").asText());
      return ApplyInstanceStateChange.Outcome.IGNORED.name();
    }
    ApplyInstanceStateChange.Outcome outcome = apply.apply(instanceId, state);
    LOG.info("instance {} is {}: {}", instanceId, state, outcome);
    return outcome.name();
  }
}

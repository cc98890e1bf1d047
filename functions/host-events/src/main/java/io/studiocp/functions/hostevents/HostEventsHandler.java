package io.studiocp.functions.hostevents;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.hosts.ApplyInstanceStateChange;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.platform.lambda.Priming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * "EC2 Instance State-change Notification" events from EventBridge: keeps the state of managed
 * hosts true, and fails the provisioning of a host whose instance stops or goes away. It reads
 * the event's two fields of interest from the JSON itself.
 */
public final class HostEventsHandler implements RequestStreamHandler {

  static final String DETAIL_TYPE = "EC2 Instance State-change Notification";
  private static final Logger LOG = LoggerFactory.getLogger(HostEventsHandler.class);

  private final ApplyInstanceStateChange apply;
  private final Priming priming;

  public HostEventsHandler() {
    this(Env.system());
  }

  public HostEventsHandler(Env env) {
    HostEventsWiring wiring = HostEventsWiring.from(env);
    this.apply = wiring.apply();
    this.priming = Priming.register(env, Priming.writer(String.class), wiring.primeClients());
  }

  /** The SnapStart priming hook (what beforeCheckpoint runs). */
  public Priming priming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    JsonNode event = Json.mapper().readTree(input);
    String outcome = PowertoolsLogging.withLogging(context, () -> handle(event));
    Json.mapper().writeValue(output, outcome);
  }

  /** The outcome's name, for logs and tests. */
  public String handle(JsonNode event) {
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

package io.studiocp.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.functions.hostevents.HostEventsHandler;
import io.studiocp.platform.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * The template's EventBridge rules for HostEventsFunction: every state an instance enters
 * ("EC2 Instance State-change Notification"), and the end of a host workflow's execution that did
 * not succeed ("Step Functions Execution Status Change", ABORTED, TIMED_OUT or FAILED, of the two
 * host machines), each handed over as the event EventBridge would deliver.
 */
final class EventBridgeRule implements InstanceWatcher.Listener {

  private static final Set<String> ENDED_UNFINISHED = Set.of("ABORTED", "TIMED_OUT", "FAILED");

  private final HostEventsHandler handler;
  private final String region;
  private final String accountId;
  private final Set<String> hostMachines;

  EventBridgeRule(HostEventsHandler handler, String region, String accountId, Set<String> hostMachines) {
    this.handler = handler;
    this.region = region;
    this.accountId = accountId;
    this.hostMachines = Set.copyOf(hostMachines);
  }

  /** An execution's end, as the local Step Functions tells it: delivered when the rule's pattern matches. */
  void executionEnded(ObjectNode event) {
    if (ENDED_UNFINISHED.contains(event.at("/detail/status").asText())
        && hostMachines.contains(event.at("/detail/stateMachineArn").asText())) {
      deliver(event);
    }
  }

  @Override
  public void changed(Instance instance, String previousState, String state) {
    ObjectNode event = Json.mapper().createObjectNode();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", "EC2 Instance State-change Notification");
    event.put("source", "aws.ec2");
    event.put("account", accountId);
    event.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    event.put("region", region);
    event.putArray("resources").add("arn:aws:ec2:" + region + ":" + accountId + ":instance/" + instance.instanceId());
    event.putObject("detail").put("instance-id", instance.instanceId()).put("state", state);
    deliver(event);
  }

  private void deliver(ObjectNode event) {
    try {
      handler.handleRequest(new ByteArrayInputStream(Json.mapper().writeValueAsBytes(event)),
          new ByteArrayOutputStream(), new LocalContext("HostEventsFunction"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

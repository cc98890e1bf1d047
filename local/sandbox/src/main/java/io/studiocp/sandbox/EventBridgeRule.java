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
import java.util.UUID;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * The template's EventBridge rule for "EC2 Instance State-change Notification": every state an
 * instance enters becomes the event EventBridge would deliver, handed to HostEventsFunction.
 */
final class EventBridgeRule implements InstanceWatcher.Listener {

  private final HostEventsHandler handler;
  private final String region;
  private final String accountId;

  EventBridgeRule(HostEventsHandler handler, String region, String accountId) {
    this.handler = handler;
    this.region = region;
    this.accountId = accountId;
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
    try {
      handler.handleRequest(new ByteArrayInputStream(Json.mapper().writeValueAsBytes(event)),
          new ByteArrayOutputStream(), new LocalContext("HostEventsFunction"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.studiocp.sandbox;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.functions.hostevents.HostEventsHandler;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.joda.time.DateTime;
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
    ScheduledEvent event = new ScheduledEvent()
        .withVersion("0")
        .withId(UUID.randomUUID().toString())
        .withDetailType("EC2 Instance State-change Notification")
        .withSource("aws.ec2")
        .withAccount(accountId)
        .withTime(DateTime.now())
        .withRegion(region)
        .withResources(List.of("arn:aws:ec2:" + region + ":" + accountId + ":instance/" + instance.instanceId()))
        .withDetail(Map.of("instance-id", instance.instanceId(), "state", state));
    handler.handleRequest(event, new LocalContext("HostEventsFunction"));
  }
}

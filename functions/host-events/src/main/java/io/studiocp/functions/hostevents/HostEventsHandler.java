package io.studiocp.functions.hostevents;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.studiocp.hosts.ApplyInstanceStateChange;
import io.studiocp.hosts.aws.Ec2HostNetwork;
import io.studiocp.hosts.aws.Ec2Hosts;
import io.studiocp.hosts.aws.SfnProvisioningWorkflow;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.Env;
import io.studiocp.platform.Settings;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * "EC2 Instance State-change Notification" events from EventBridge: keeps the state of managed
 * hosts true, and fails the provisioning of a host whose instance stops or goes away.
 */
public final class HostEventsHandler implements RequestHandler<ScheduledEvent, String> {

  static final String DETAIL_TYPE = "EC2 Instance State-change Notification";
  private static final Logger LOG = LoggerFactory.getLogger(HostEventsHandler.class);

  private final ApplyInstanceStateChange apply;

  public HostEventsHandler() {
    this(Env.system());
  }

  public HostEventsHandler(Env env) {
    AwsClients aws = new AwsClients(env);
    Ec2Client ec2 = aws.build(Ec2Client.builder(), "EC2");
    Ec2Hosts hosts = new Ec2Hosts(ec2, null);
    this.apply = new ApplyInstanceStateChange(hosts, hosts,
        new SfnProvisioningWorkflow(aws.build(SfnClient.builder(), "SFN"), env.require(Settings.STATE_MACHINE_ARN)),
        hosts, new Ec2HostNetwork(ec2));
  }

  @Override
  public String handleRequest(ScheduledEvent event, Context context) {
    return PowertoolsLogging.withLogging(context, () -> {
      Map<String, Object> detail = event.getDetail();
      if (!DETAIL_TYPE.equals(event.getDetailType()) || detail == null
          || !(detail.get("instance-id") instanceof String instanceId)
          || !(detail.get("state") instanceof String state)) {
        LOG.warn("not an EC2 instance state change, ignored: {}", event.getDetailType());
        return ApplyInstanceStateChange.Outcome.IGNORED.name();
      }
      ApplyInstanceStateChange.Outcome outcome = apply.apply(instanceId, state);
      LOG.info("instance {} is {}: {}", instanceId, state, outcome);
      return outcome.name();
    });
  }
}

package io.studiocp.functions.hostevents;

import static io.studiocp.platform.PrimingHttpClient.PRIMING;

import io.studiocp.hosts.ApplyExecutionEnd;
import io.studiocp.hosts.ApplyInstanceStateChange;
import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.aws.Ec2HostNetwork;
import io.studiocp.hosts.aws.Ec2HostSlots;
import io.studiocp.hosts.aws.Ec2Hosts;
import io.studiocp.hosts.aws.Ec2Query;
import io.studiocp.hosts.aws.SfnProvisioningWorkflow;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.platform.Concurrently;
import io.studiocp.platform.Env;
import io.studiocp.platform.Settings;
import java.time.Clock;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/** The host events function's use case, built once per container from its settings. */
record HostEventsWiring(ApplyInstanceStateChange apply, ApplyExecutionEnd executionEnd, Runnable primeClients) {

  static HostEventsWiring from(Env env, Clock clock) {
    String stateMachineArn = env.require(Settings.STATE_MACHINE_ARN);
    AwsClients aws = new AwsClients(env);
    var sfn = Concurrently.start(() -> aws.build(SfnClient.builder(), "SFN"));
    Ec2Client ec2 = aws.build(Ec2Client.builder(), "EC2");
    Ec2Hosts hosts = new Ec2Hosts(ec2);
    SfnClient sfnClient = Concurrently.join(sfn);
    Runnable primeClients = () -> {
      ec2.describeInstances(r -> r.overrideConfiguration(PRIMING).instanceIds("i-0000000000priming"));
      ec2.createTags(r -> r.overrideConfiguration(PRIMING).resources("i-0000000000priming")
          .tags(t -> t.key("studiocp:priming").value("true")));
      sfnClient.describeExecution(r -> r.overrideConfiguration(PRIMING).executionArn(stateMachineArn));
    };
    HostFleet fleet = new HostFleet(hosts, hosts);
    // Slots and extra-ports groups are deleted over the lean EC2 client (the same as POST /hosts creates them).
    AwsQueryClient groups = Ec2Query.client(aws);
    Ec2HostSlots slots = new Ec2HostSlots(groups);
    return new HostEventsWiring(new ApplyInstanceStateChange(fleet,
        new SfnProvisioningWorkflow(sfnClient, stateMachineArn), hosts, new Ec2HostNetwork(groups), slots),
        new ApplyExecutionEnd(fleet, slots, stateMachineArn, env.require(Settings.START_STATE_MACHINE_ARN), clock),
        primeClients);
  }
}

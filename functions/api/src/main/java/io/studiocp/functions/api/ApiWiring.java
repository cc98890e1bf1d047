package io.studiocp.functions.api;

import io.studiocp.hosts.HostDirectory;
import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.HostQueries;
import io.studiocp.hosts.RequestHost;
import io.studiocp.hosts.StudioPaths;
import io.studiocp.hosts.TerminateHost;
import io.studiocp.hosts.aws.Ec2Catalog;
import io.studiocp.hosts.aws.Ec2Hosts;
import io.studiocp.hosts.aws.SfnProvisioningWorkflow;
import io.studiocp.identity.ActorResolver;
import io.studiocp.identity.ExecutionRoleIndex;
import io.studiocp.identity.IdentityPolicy;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.Concurrently;
import io.studiocp.platform.Env;
import io.studiocp.platform.Settings;
import io.studiocp.studio.aws.SageMakerStudioDirectory;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/** The API function's use cases, built once per container from its settings. */
record ApiWiring(ActorResolver actors, RequestHost requestHost, HostQueries queries, TerminateHost terminate) {

  static ApiWiring from(Env env) {
    HostPolicy policy = HostPolicy.from(env);
    IdentityPolicy identity = IdentityPolicy.from(env);
    StudioPaths paths = StudioPaths.from(env);
    String stateMachineArn = env.require(Settings.STATE_MACHINE_ARN);
    AwsClients aws = new AwsClients(env);
    var ec2Client = Concurrently.start(() -> aws.build(Ec2Client.builder(), "EC2"));
    var sagemakerClient = Concurrently.start(() -> aws.build(SageMakerClient.builder(), "SAGEMAKER"));
    SfnClient sfn = aws.build(SfnClient.builder(), "SFN");
    Ec2Client ec2 = Concurrently.join(ec2Client);
    SageMakerClient sagemaker = Concurrently.join(sagemakerClient);

    Clock clock = Clock.systemUTC();
    SageMakerStudioDirectory directory = new SageMakerStudioDirectory(sagemaker);
    Ec2Hosts hosts = new Ec2Hosts(ec2);
    HostFleet fleet = new HostFleet(hosts, hosts);
    Ec2Catalog catalog = new Ec2Catalog(ec2);
    SfnProvisioningWorkflow workflow = new SfnProvisioningWorkflow(sfn, stateMachineArn);
    HostDirectory hostDirectory = new HostDirectory(fleet, workflow, paths, policy.dockerPort());
    HostQueries queries = new HostQueries(hostDirectory);
    return new ApiWiring(
        new ActorResolver(identity, directory, new ExecutionRoleIndex(directory, clock, Duration.ofMinutes(5))),
        new RequestHost(policy, directory, catalog, catalog, hostDirectory, workflow, paths, clock),
        queries,
        new TerminateHost(queries, fleet, workflow));
  }
}

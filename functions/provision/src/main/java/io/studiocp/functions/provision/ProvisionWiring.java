package io.studiocp.functions.provision;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.lifecycle.StartSteps;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.StudioPaths;
import io.studiocp.hosts.aws.Ec2Catalog;
import io.studiocp.hosts.aws.Ec2HostLauncher;
import io.studiocp.hosts.aws.Ec2HostNetwork;
import io.studiocp.hosts.aws.Ec2Hosts;
import io.studiocp.hosts.aws.EfsFileSystems;
import io.studiocp.hosts.aws.SsmHostImages;
import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.hosts.provisioning.CompensateProvisioning;
import io.studiocp.hosts.provisioning.LaunchHost;
import io.studiocp.hosts.provisioning.MarkHostReady;
import io.studiocp.hosts.provisioning.PrepareLaunch;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.Concurrently;
import io.studiocp.platform.Env;
import io.studiocp.platform.Settings;
import io.studiocp.studio.aws.SageMakerStudioDirectory;
import java.time.Clock;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The provisioning and start steps' use cases, from the function's settings. The steps share this
 * module but are separate functions: each builds only its own use case, with only the clients that
 * step calls, so a step's cold start pays for nothing it does not use.
 */
record ProvisionWiring(Env env, Clock clock, AwsClients aws) {

  /** Where hosts report back, when not the region's public Step Functions endpoint (the sandbox). */
  static final String HOST_SFN_ENDPOINT = "HOST_SFN_ENDPOINT";

  static ProvisionWiring from(Env env) {
    return from(env, Clock.systemUTC());
  }

  static ProvisionWiring from(Env env, Clock clock) {
    return new ProvisionWiring(env, clock, new AwsClients(env));
  }

  PrepareLaunch prepare() {
    var sagemaker = Concurrently.start(() -> aws.build(SageMakerClient.builder(), "SAGEMAKER"));
    var ssm = Concurrently.start(() -> aws.build(SsmClient.builder(), "SSM"));
    var efs = Concurrently.start(() -> aws.build(EfsClient.builder(), "EFS"));
    Ec2Client ec2 = ec2();
    Ec2Catalog catalog = new Ec2Catalog(ec2);
    return new PrepareLaunch(
        new SageMakerStudioDirectory(Concurrently.join(sagemaker)),
        catalog, catalog,
        new SsmHostImages(Concurrently.join(ssm), ec2),
        new EfsFileSystems(Concurrently.join(efs), ec2),
        new Ec2HostNetwork(ec2),
        fleet(ec2),
        StudioPaths.from(env),
        HostPolicy.from(env));
  }

  LaunchHost launch() {
    String instanceProfileArn = env.require(Settings.HOST_INSTANCE_PROFILE_ARN);
    Ec2Client ec2 = ec2();
    return new LaunchHost(fleet(ec2), new Ec2HostLauncher(ec2, instanceProfileArn), BootstrapUserData.packaged(),
        aws.region().id(), env.optional(HOST_SFN_ENDPOINT));
  }

  MarkHostReady markReady() {
    return new MarkHostReady(fleet(ec2()), clock);
  }

  StartSteps startSteps() {
    return new StartSteps(fleet(ec2()), clock);
  }

  CompensateProvisioning compensate() {
    return new CompensateProvisioning(fleet(ec2()));
  }

  private Ec2Client ec2() {
    return aws.build(Ec2Client.builder(), "EC2");
  }

  private static HostFleet fleet(Ec2Client ec2) {
    Ec2Hosts hosts = new Ec2Hosts(ec2);
    return new HostFleet(hosts, hosts);
  }
}

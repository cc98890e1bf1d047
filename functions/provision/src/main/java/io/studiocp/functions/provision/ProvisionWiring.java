package io.studiocp.functions.provision;

import static io.studiocp.platform.PrimingHttpClient.PRIMING;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.lifecycle.StartSteps;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.StudioPaths;
import io.studiocp.hosts.aws.AwsWarmPool;
import io.studiocp.hosts.aws.Ec2Catalog;
import io.studiocp.hosts.aws.Ec2HostLauncher;
import io.studiocp.hosts.aws.Ec2HostNetwork;
import io.studiocp.hosts.aws.Ec2Hosts;
import io.studiocp.hosts.aws.EfsFileSystems;
import io.studiocp.hosts.aws.Ec2Query;
import io.studiocp.hosts.aws.LeanEc2HostCommands;
import io.studiocp.hosts.aws.LeanEc2Hosts;
import io.studiocp.hosts.aws.SqsPoolQueues;
import io.studiocp.hosts.aws.SsmHostImages;
import io.studiocp.hosts.pool.ClaimPoolHost;
import io.studiocp.hosts.pool.KeepPool;
import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.hosts.provisioning.CompensateProvisioning;
import io.studiocp.hosts.provisioning.LaunchHost;
import io.studiocp.hosts.provisioning.MarkHostReady;
import io.studiocp.hosts.provisioning.PrepareLaunch;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.platform.Lazy;
import io.studiocp.platform.Env;
import io.studiocp.platform.PrimingHttpClient;
import io.studiocp.platform.Settings;
import io.studiocp.studio.StudioUser;
import io.studiocp.studio.aws.SageMakerStudioDirectory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The provisioning and start steps' use cases, from the function's settings. The steps share this
 * module but are separate functions: each builds only its own use case, with only the clients that
 * step calls, so a step's cold start pays for nothing it does not use.
 */
record ProvisionWiring(Env env, Clock clock, AwsClients aws, List<Runnable> primers) {

  /** The host a priming call names (never sent: answered locally). */
  private static final HostId PRIMING_HOST = HostId.derive(new StudioUser("d-priming", "priming"), "priming");
  private static final String PRIMING_INSTANCE = "i-0000000000priming";

  /** Where hosts report back, when not the region's public Step Functions endpoint (the sandbox). */
  static final String HOST_SFN_ENDPOINT = AwsWarmPool.HOST_SFN_ENDPOINT;

  static ProvisionWiring from(Env env) {
    return from(env, Clock.systemUTC());
  }

  static ProvisionWiring from(Env env, Clock clock) {
    return new ProvisionWiring(env, clock, new AwsClients(env), new ArrayList<>());
  }

  /**
   * The SnapStart priming of the step's clients: each client the step built, called as its first
   * request will call it, with priming calls (answered locally, never sent: {@link PrimingHttpClient}).
   */
  void prime() {
    primers.forEach(Runnable::run);
  }

  /**
   * Prepare reads and makes ready through lean clients only (EC2's query protocol, SSM's and EFS's
   * signed JSON, Studio's directory): no SDK service model is loaded on its first invocation.
   */
  PrepareLaunch prepare() {
    AwsQueryClient ec2 = Ec2Query.client(aws);
    Ec2Catalog catalog = new Ec2Catalog(ec2);
    // Studio's domain and profile through the directory's two signed calls, not the SDK's SageMaker client.
    SageMakerStudioDirectory directory = SageMakerStudioDirectory.of(aws);
    SsmHostImages images = SsmHostImages.of(aws, ec2);
    EfsFileSystems fileSystems = EfsFileSystems.of(aws, ec2);
    primers.add(directory.primer());
    primers.add(images.primer());
    primers.add(fileSystems.primer());
    AwsQueryClient priming = ec2.priming();
    primers.add(() -> {
      new LeanEc2Hosts(priming).pooled();
      Ec2Catalog catalogPriming = new Ec2Catalog(priming);
      catalogPriming.describe("m5.large");
      catalogPriming.availabilityZones(List.of("subnet-priming"));
      new Ec2HostNetwork(priming).extraPortsGroup(PRIMING_HOST);
    });
    // Prepare only reads hosts; the SDK's client behind the fleet's commands is never built here.
    return new PrepareLaunch(
        directory,
        catalog, catalog,
        images,
        fileSystems,
        new Ec2HostNetwork(ec2),
        new HostFleet(new LeanEc2Hosts(ec2), new Ec2Hosts(Lazy.of(() -> aws.build(Ec2Client.builder(), "EC2")))),
        StudioPaths.from(env),
        HostPolicy.from(env));
  }

  LaunchHost launch() {
    String instanceProfileArn = env.require(Settings.HOST_INSTANCE_PROFILE_ARN);
    Ec2Client ec2 = ec2();
    primers.add(() -> ec2.runInstances(r -> r.overrideConfiguration(PRIMING).imageId("ami-priming").minCount(1)
        .maxCount(1)));
    return new LaunchHost(fleet(ec2), new Ec2HostLauncher(ec2, instanceProfileArn), BootstrapUserData.packaged(),
        aws.region().id(), env.optional(HOST_SFN_ENDPOINT));
  }

  ClaimPoolHost claim() {
    SqsClient sqs = aws.build(SqsClient.builder(), "SQS");
    primers.add(() -> sqs.getQueueUrl(r -> r.overrideConfiguration(PRIMING).queueName("studiocp-pool-priming")));
    return new ClaimPoolHost(new SqsPoolQueues(sqs), aws.region().id(), env.optional(HOST_SFN_ENDPOINT));
  }

  KeepPool keepPool() {
    Ec2Client ec2 = ec2();
    primers.add(SageMakerStudioDirectory.of(aws).domainPrimer());
    return AwsWarmPool.keeper(env, aws, ec2, clock);
  }

  /**
   * MarkReady reads and changes hosts through the lean EC2 client only: after a claim, its user waits
   * for each of its calls (the reads, the adoption's attributes and tags), and the SDK's request
   * pipeline and model cost more than the calls themselves on a function's early invocations.
   */
  MarkHostReady markReady() {
    AwsQueryClient ec2 = Ec2Query.client(aws);
    AwsQueryClient priming = ec2.priming();
    primers.add(() -> {
      LeanEc2Hosts hosts = new LeanEc2Hosts(priming);
      hosts.instancesOf(PRIMING_HOST);
      hosts.instance(PRIMING_INSTANCE);
      LeanEc2HostCommands commands = new LeanEc2HostCommands(priming);
      commands.replaceSecurityGroups(PRIMING_INSTANCE, List.of("sg-priming"));
      commands.stopOnShutdown(PRIMING_INSTANCE);
      commands.tag(List.of(PRIMING_INSTANCE), Map.of(HostTags.STATE, "READY"));
      commands.untag(List.of(PRIMING_INSTANCE), List.of(HostTags.POOL));
    });
    return new MarkHostReady(new HostFleet(new LeanEc2Hosts(ec2), new LeanEc2HostCommands(ec2)), clock);
  }

  StartSteps startSteps() {
    return new StartSteps(fleet(ec2()), clock);
  }

  CompensateProvisioning compensate() {
    return new CompensateProvisioning(fleet(ec2()));
  }

  /**
   * An EC2 client, primed for reading hosts (what every step does; not their tag writes, which
   * BeginStart never makes, so its role does not allow them).
   */
  private Ec2Client ec2() {
    Ec2Client ec2 = aws.build(Ec2Client.builder(), "EC2");
    primers.add(() -> ec2.describeInstances(r -> r.overrideConfiguration(PRIMING).instanceIds(PRIMING_INSTANCE)));
    return ec2;
  }

  private static HostFleet fleet(Ec2Client ec2) {
    Ec2Hosts hosts = new Ec2Hosts(ec2);
    return new HostFleet(hosts, hosts);
  }
}

package io.studiocp.functions.api;

import static io.studiocp.platform.PrimingHttpClient.PRIMING;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.ProvisioningWorkflow;
import io.studiocp.hosts.aws.Ec2Catalog;
import io.studiocp.hosts.aws.Ec2Hosts;
import io.studiocp.hosts.aws.Ec2Query;
import io.studiocp.hosts.aws.LeanEc2Hosts;
import io.studiocp.hosts.aws.SfnProvisioningWorkflow;
import io.studiocp.hosts.aws.SfnStartWorkflow;
import io.studiocp.hosts.lifecycle.StartWorkflow;
import io.studiocp.identity.ActorResolver;
import io.studiocp.identity.ExecutionRoleIndex;
import io.studiocp.identity.IdentityPolicy;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.platform.Env;
import io.studiocp.platform.Lazy;
import io.studiocp.platform.Settings;
import io.studiocp.ssh.SshRegistry;
import io.studiocp.ssh.SshSettings;
import io.studiocp.ssh.aws.SsmSshRegistry;
import io.studiocp.studio.StudioDirectory;
import io.studiocp.studio.StudioUser;
import io.studiocp.studio.aws.SageMakerStudioDirectory;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * What every route group of the API shares, built once per container from the function's
 * settings: who calls (identity, over Studio's directory), the host fleet, the provisioning and
 * start workflows, and the AWS clients behind them. Each group builds its own use cases from these
 * ({@link ApiRoutes}).
 *
 * <p>What the host routes need to read and to request a host (the lean EC2 client, Step Functions,
 * the directory's few signed SageMaker calls) is built at init; the SDK's EC2 client (a host's stop,
 * start, extend, terminate), SageMaker client (Studio sessions, SSH, the admin report) and SSM (SSH)
 * are built on the first request that needs them, so a cold start for hosts loads neither EC2's nor
 * SageMaker's model. The priming hook builds and primes them all.
 */
public record ApiWiring(Env env, Clock clock, AwsClients aws, AwsQueryClient ec2, Lazy<SageMakerClient> sagemaker,
    ActorResolver actors, StudioDirectory studio, HostFleet fleet, ProvisioningWorkflow workflow, StartWorkflow starts,
    Lazy<SshRegistry> ssh, Runnable primeClients) {

  public static ApiWiring from(Env env, Clock clock) {
    IdentityPolicy identity = IdentityPolicy.from(env);
    String stateMachineArn = env.require(Settings.STATE_MACHINE_ARN);
    AwsClients aws = new AwsClients(env);
    SfnClient sfn = aws.build(SfnClient.builder(), "SFN");
    // Hosts are read, and a request checked, over the lean EC2 client; the SDK's is built for the first change.
    AwsQueryClient ec2 = Ec2Query.client(aws);
    Lazy<Ec2Client> ec2Commands = Lazy.of(() -> aws.build(Ec2Client.builder(), "EC2"));
    SageMakerStudioDirectory studio = SageMakerStudioDirectory.of(aws);
    Lazy<SageMakerClient> sagemaker = Lazy.of(() -> aws.build(SageMakerClient.builder(), "SAGEMAKER"));
    Lazy<SshRegistry> ssh = Lazy.of(() -> new SsmSshRegistry(aws.build(SsmClient.builder(), "SSM"),
        SshSettings.from(env).activationRole(), env.optional(Settings.REGION).orElse("us-east-1")));
    // The calls of a first request (who calls, their hosts, a new host's workflow), as priming calls;
    // and the clients other routes build on their first use (a snapshot holds them built).
    Runnable directoryPrimer = studio.identityPrimer();
    AwsQueryClient ec2Priming = ec2.priming();
    Runnable primeClients = () -> {
      directoryPrimer.run();
      new LeanEc2Hosts(ec2Priming).ownedBy(new StudioUser("d-priming", "priming"));
      new Ec2Catalog(ec2Priming).describe("m5.large");
      ec2Commands.get();
      sfn.startExecution(r -> r.overrideConfiguration(PRIMING).stateMachineArn(stateMachineArn).name("priming"));
      sfn.describeExecution(r -> r.overrideConfiguration(PRIMING).executionArn(stateMachineArn));
      sagemaker.get().listApps(r -> r.overrideConfiguration(PRIMING).domainIdEquals("d-priming"));
      ssh.get();
    };
    return new ApiWiring(env, clock, aws, ec2, sagemaker,
        new ActorResolver(identity, studio, new ExecutionRoleIndex(studio, clock, Duration.ofMinutes(5))),
        studio, new HostFleet(new LeanEc2Hosts(ec2), new Ec2Hosts(ec2Commands)), new SfnProvisioningWorkflow(sfn, stateMachineArn),
        new SfnStartWorkflow(sfn, env.require(Settings.START_STATE_MACHINE_ARN)), ssh, primeClients);
  }
}

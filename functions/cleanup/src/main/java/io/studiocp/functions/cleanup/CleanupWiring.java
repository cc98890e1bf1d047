package io.studiocp.functions.cleanup;

import static io.studiocp.platform.PrimingHttpClient.PRIMING;

import io.studiocp.cleanup.CleanupRun;
import io.studiocp.cleanup.SshHousekeeping;
import io.studiocp.sessions.aws.SageMakerStudioSessions;
import io.studiocp.ssh.SshSettings;
import io.studiocp.ssh.aws.SsmSshRegistry;
import io.studiocp.identity.IdentityPolicy;
import java.util.Optional;
import io.studiocp.cleanup.CleanupSettings;
import io.studiocp.cleanup.aws.Ec2ManagedGroups;
import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.aws.AwsWarmPool;
import io.studiocp.hosts.aws.Ec2Hosts;
import io.studiocp.hosts.aws.SfnProvisioningWorkflow;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.Concurrently;
import io.studiocp.platform.Env;
import io.studiocp.platform.Settings;
import io.studiocp.police.MailRoom;
import io.studiocp.police.OwnerEmails;
import io.studiocp.police.PoliceSettings;
import io.studiocp.police.aws.SageMakerStudioInventory;
import io.studiocp.police.SendPace;
import io.studiocp.police.aws.SesMailer;
import io.studiocp.studio.aws.SageMakerStudioDirectory;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/** The cleanup function's use case, built once per container from its settings (mail as the police's). */
record CleanupWiring(CleanupRun cleanup, Runnable primeClients) {

  /** What a run may spend waiting on SES's rate (the function's timeout is 300 s). */
  private static final Duration CLEANUP_MAIL_BUDGET = Duration.ofSeconds(150);

  static CleanupWiring from(Env env, Clock clock) {
    CleanupSettings settings = CleanupSettings.from(env);
    PoliceSettings mail = PoliceSettings.from(env);
    String stateMachineArn = env.require(Settings.STATE_MACHINE_ARN);
    AwsClients aws = new AwsClients(env);
    var sagemakerClient = Concurrently.start(() -> aws.build(SageMakerClient.builder(), "SAGEMAKER"));
    var taggingClient = Concurrently.start(() ->
        aws.build(ResourceGroupsTaggingApiClient.builder(), "RESOURCE_GROUPS_TAGGING_API"));
    var sfnClient = Concurrently.start(() -> aws.build(SfnClient.builder(), "SFN"));
    var ssmClient = Concurrently.start(() -> aws.build(SsmClient.builder(), "SSM"));
    Ec2Client ec2 = aws.build(Ec2Client.builder(), "EC2");
    Ec2Hosts hosts = new Ec2Hosts(ec2);
    SageMakerClient sagemaker = Concurrently.join(sagemakerClient);
    SfnClient sfn = Concurrently.join(sfnClient);
    ResourceGroupsTaggingApiClient tagging = Concurrently.join(taggingClient);
    SesMailer ses = SesMailer.of(aws, mail.fromAddress(), mail.sesSandbox());
    Runnable mailPrimer = ses.primer();
    // A run's calls as priming calls (answered locally, never sent: nothing is stopped, no mail leaves).
    Runnable primeClients = () -> {
      ec2.describeInstances(r -> r.overrideConfiguration(PRIMING).filters(f -> f.name("tag:studiocp:managed").values("true")));
      ec2.describeSecurityGroups(r -> r.overrideConfiguration(PRIMING).filters(f -> f.name("tag:studiocp:managed")
          .values("true")));
      ec2.createTags(r -> r.overrideConfiguration(PRIMING).resources("i-0000000000priming")
          .tags(t -> t.key("studiocp:priming").value("true")));
      sfn.listExecutions(r -> r.overrideConfiguration(PRIMING).stateMachineArn(stateMachineArn));
      sagemaker.listDomains(r -> r.overrideConfiguration(PRIMING));
      tagging.getResources(r -> r.overrideConfiguration(PRIMING).resourceARNList("arn:aws:sagemaker:::priming"));
      mailPrimer.run();
    };
    CleanupRun run = new CleanupRun(new HostFleet(hosts, hosts),
        new SfnProvisioningWorkflow(sfn, stateMachineArn),
        new Ec2ManagedGroups(ec2, () -> aws.build(EfsClient.builder(), "EFS")),
        new SageMakerStudioInventory(sagemaker, tagging),
        new OwnerEmails(mail.emailTagKey(), mail.emailPattern(), mail.adminEmails(), SageMakerStudioDirectory.of(aws)),
        new MailRoom(ses, CLEANUP_MAIL_BUDGET, System::nanoTime, SendPace.Sleeper.THREAD),
        settings, mail.adminEmails(), clock,
        Optional.of(ssh(env, Concurrently.join(ssmClient), sagemaker)));
    // The warm pool is kept where the function may launch hosts (the template gives it the hosts' profile).
    if (env.optional(Settings.HOST_INSTANCE_PROFILE_ARN).isPresent()) {
      run.keepingPool(AwsWarmPool.keeper(env, aws, ec2, clock)::keep);
    }
    return new CleanupWiring(run, primeClients);
  }

  /** The SSH side: the control plane's activations and nodes, against what runs in its domains. */
  static SshHousekeeping ssh(Env env, SsmClient ssm, SageMakerClient sagemaker) {
    return new SshHousekeeping(new SsmSshRegistry(ssm, SshSettings.from(env).activationRole(),
        env.optional(Settings.REGION).orElse("us-east-1")), new SageMakerStudioSessions(sagemaker),
        IdentityPolicy.from(env).domainIds());
  }
}

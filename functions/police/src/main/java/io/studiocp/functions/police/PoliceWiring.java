package io.studiocp.functions.police;

import static io.studiocp.platform.PrimingHttpClient.PRIMING;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.pool.PoolCosts;
import io.studiocp.hosts.pool.PoolSettings;
import io.studiocp.hosts.aws.Ec2Hosts;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.Concurrently;
import io.studiocp.platform.Env;
import io.studiocp.police.MailRoom;
import io.studiocp.police.OwnerEmails;
import io.studiocp.police.PoliceRun;
import io.studiocp.police.PoliceSettings;
import io.studiocp.police.aws.SageMakerPoliceActions;
import io.studiocp.police.aws.SageMakerStudioInventory;
import io.studiocp.police.SendPace;
import io.studiocp.police.aws.SesMailer;
import io.studiocp.studio.aws.SageMakerStudioDirectory;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** The police function's use case, built once per container from its settings. */
record PoliceWiring(PoliceRun police, Runnable primeClients) {

  /** SageMaker throttles list calls of large domains: more tries, with the SDK's backoff and jitter. */
  private static final int ATTEMPTS = 8;
  /**
   * What a run may spend waiting on SES's rate and backing off throttled messages (the function's
   * timeout is 600 s; reading 30,000 apps takes a few seconds): what is left goes next run.
   */
  private static final Duration POLICE_MAIL_BUDGET = Duration.ofMinutes(7);

  static PoliceWiring from(Env env, Clock clock) {
    PoliceSettings settings = PoliceSettings.from(env);
    AwsClients aws = new AwsClients(env);
    var sagemakerClient = Concurrently.start(() -> aws.build(SageMakerClient.builder(), "SAGEMAKER", ATTEMPTS));
    var taggingClient = Concurrently.start(() ->
        aws.build(ResourceGroupsTaggingApiClient.builder(), "RESOURCE_GROUPS_TAGGING_API", ATTEMPTS));
    Ec2Client ec2 = aws.build(Ec2Client.builder(), "EC2");
    Ec2Hosts hosts = new Ec2Hosts(ec2);
    SageMakerClient sagemaker = Concurrently.join(sagemakerClient);
    ResourceGroupsTaggingApiClient tagging = Concurrently.join(taggingClient);
    SesMailer ses = SesMailer.of(aws, settings.fromAddress(), settings.sesSandbox());
    Runnable mailPrimer = ses.primer();
    SageMakerStudioDirectory directory = new SageMakerStudioDirectory(aws.json(SageMakerStudioDirectory.SAGEMAKER,
        ATTEMPTS));
    Runnable directoryPrimer = directory.primer();
    SageMakerPoliceActions actions = new SageMakerPoliceActions(sagemaker,
        aws.json(SageMakerPoliceActions.TAGGING, ATTEMPTS));
    Runnable actionsPrimer = actions.primer();
    Runnable primeClients = () -> {
      primeClients(ec2, sagemaker, tagging);
      directoryPrimer.run();
      mailPrimer.run();
      actionsPrimer.run();
    };
    return new PoliceWiring(new PoliceRun(new SageMakerStudioInventory(sagemaker, tagging), new HostFleet(hosts, hosts),
        new OwnerEmails(settings.emailTagKey(), settings.emailPattern(), settings.adminEmails(),
            directory),
        new MailRoom(ses, POLICE_MAIL_BUDGET, System::nanoTime, SendPace.Sleeper.THREAD),
        actions, settings.policy(), settings.prices(), settings.domainIds(),
        settings.adminEmails(), clock, poolCosts(env, settings)), primeClients);
  }

  /** What the warm pool costs, for the admins' digest: as configured ({@code WarmPool}), at the police's prices. */
  static PoolCosts poolCosts(Env env, PoliceSettings settings) {
    HostPolicy hosts = HostPolicy.from(env);
    return new PoolCosts(PoolSettings.from(env, hosts), settings.prices(), hosts.defaultVolumeGiB());
  }

  /** A run's calls as priming calls (answered locally, never sent; the mail is never delivered). */
  static void primeClients(Ec2Client ec2, SageMakerClient sagemaker, ResourceGroupsTaggingApiClient tagging) {
    ec2.describeInstances(r -> r.overrideConfiguration(PRIMING).filters(f -> f.name("tag:studiocp:managed").values("true")));
    sagemaker.listDomains(r -> r.overrideConfiguration(PRIMING));
    sagemaker.listApps(r -> r.overrideConfiguration(PRIMING).domainIdEquals("d-priming"));
    tagging.getResources(r -> r.overrideConfiguration(PRIMING).resourceARNList("arn:aws:sagemaker:::priming"));
  }
}

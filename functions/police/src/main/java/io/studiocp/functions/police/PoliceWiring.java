package io.studiocp.functions.police;

import static io.studiocp.platform.PrimingHttpClient.PRIMING;

import io.studiocp.hosts.HostFleet;
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
import io.studiocp.police.aws.SesMailer;
import io.studiocp.studio.aws.SageMakerStudioDirectory;
import java.time.Clock;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** The police function's use case, built once per container from its settings. */
record PoliceWiring(PoliceRun police, Runnable primeClients) {

  /** SageMaker throttles list calls of large domains: more tries, with the SDK's backoff and jitter. */
  private static final int ATTEMPTS = 8;

  static PoliceWiring from(Env env, Clock clock) {
    PoliceSettings settings = PoliceSettings.from(env);
    AwsClients aws = new AwsClients(env);
    var sagemakerClient = Concurrently.start(() -> aws.build(SageMakerClient.builder(), "SAGEMAKER", ATTEMPTS));
    var taggingClient = Concurrently.start(() ->
        aws.build(ResourceGroupsTaggingApiClient.builder(), "RESOURCE_GROUPS_TAGGING_API", ATTEMPTS));
    var sesClient = Concurrently.start(() -> aws.build(SesV2Client.builder(), "SESV2"));
    Ec2Client ec2 = aws.build(Ec2Client.builder(), "EC2");
    Ec2Hosts hosts = new Ec2Hosts(ec2);
    SageMakerClient sagemaker = Concurrently.join(sagemakerClient);
    ResourceGroupsTaggingApiClient tagging = Concurrently.join(taggingClient);
    SesV2Client ses = Concurrently.join(sesClient);
    SageMakerStudioDirectory directory = new SageMakerStudioDirectory(aws.json(SageMakerStudioDirectory.SAGEMAKER,
        ATTEMPTS));
    Runnable directoryPrimer = directory.primer();
    Runnable primeClients = () -> {
      primeClients(ec2, sagemaker, tagging, ses);
      directoryPrimer.run();
    };
    return new PoliceWiring(new PoliceRun(new SageMakerStudioInventory(sagemaker, tagging), new HostFleet(hosts, hosts),
        new OwnerEmails(settings.emailTagKey(), settings.emailPattern(), settings.adminEmails(),
            directory),
        new MailRoom(new SesMailer(ses, settings.fromAddress(), settings.sesSandbox())),
        new SageMakerPoliceActions(sagemaker, tagging), settings.policy(), settings.prices(), settings.domainIds(),
        settings.adminEmails(), clock), primeClients);
  }

  /** A run's calls as priming calls (answered locally, never sent; the mail is never delivered). */
  static void primeClients(Ec2Client ec2, SageMakerClient sagemaker, ResourceGroupsTaggingApiClient tagging,
      SesV2Client ses) {
    ec2.describeInstances(r -> r.overrideConfiguration(PRIMING).filters(f -> f.name("tag:studiocp:managed").values("true")));
    sagemaker.listDomains(r -> r.overrideConfiguration(PRIMING));
    sagemaker.listApps(r -> r.overrideConfiguration(PRIMING).domainIdEquals("d-priming"));
    tagging.getResources(r -> r.overrideConfiguration(PRIMING).resourceARNList("arn:aws:sagemaker:::priming"));
    tagging.tagResources(r -> r.overrideConfiguration(PRIMING).resourceARNList("arn:aws:sagemaker:::priming")
        .tags(java.util.Map.of("studiocp:priming", "true")));
    ses.sendEmail(r -> r.overrideConfiguration(PRIMING).fromEmailAddress("priming@example.com")
        .destination(d -> d.toAddresses("priming@example.com"))
        .content(c -> c.simple(m -> m.subject(s -> s.data("priming")).body(b -> b.text(t -> t.data("priming"))))));
  }
}

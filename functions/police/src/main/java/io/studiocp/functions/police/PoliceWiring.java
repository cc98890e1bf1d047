package io.studiocp.functions.police;

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
record PoliceWiring(PoliceRun police) {

  /** SageMaker throttles list calls of large domains: more tries, with the SDK's backoff and jitter. */
  private static final int ATTEMPTS = 8;

  static PoliceWiring from(Env env, Clock clock) {
    PoliceSettings settings = PoliceSettings.from(env);
    AwsClients aws = new AwsClients(env);
    var sagemakerClient = Concurrently.start(() -> aws.build(SageMakerClient.builder(), "SAGEMAKER", ATTEMPTS));
    var taggingClient = Concurrently.start(() ->
        aws.build(ResourceGroupsTaggingApiClient.builder(), "RESOURCE_GROUPS_TAGGING_API", ATTEMPTS));
    var sesClient = Concurrently.start(() -> aws.build(SesV2Client.builder(), "SESV2"));
    Ec2Hosts hosts = new Ec2Hosts(aws.build(Ec2Client.builder(), "EC2"));
    SageMakerClient sagemaker = Concurrently.join(sagemakerClient);
    ResourceGroupsTaggingApiClient tagging = Concurrently.join(taggingClient);
    return new PoliceWiring(new PoliceRun(new SageMakerStudioInventory(sagemaker, tagging), new HostFleet(hosts, hosts),
        new OwnerEmails(settings.emailTagKey(), settings.emailPattern(), settings.adminEmails(),
            new SageMakerStudioDirectory(sagemaker)),
        new MailRoom(new SesMailer(Concurrently.join(sesClient), settings.fromAddress(), settings.sesSandbox())),
        new SageMakerPoliceActions(sagemaker, tagging), settings.policy(), settings.prices(), settings.domainIds(),
        settings.adminEmails(), clock));
  }
}

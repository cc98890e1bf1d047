package io.studiocp.functions.admin;

import static io.studiocp.platform.PrimingHttpClient.PRIMING;

import io.studiocp.admin.AdminApps;
import io.studiocp.admin.AdminHosts;
import io.studiocp.admin.AdminMarks;
import io.studiocp.admin.AdminReports;
import io.studiocp.admin.Explainer;
import io.studiocp.admin.StudioApps;
import io.studiocp.admin.aws.SageMakerStudioApps;
import io.studiocp.cleanup.CleanupRun;
import io.studiocp.cleanup.SshHousekeeping;
import io.studiocp.sessions.aws.SageMakerStudioSessions;
import io.studiocp.ssh.SshSettings;
import io.studiocp.ssh.aws.SsmSshRegistry;
import java.util.Optional;
import io.studiocp.cleanup.CleanupSettings;
import io.studiocp.cleanup.aws.Ec2ManagedGroups;
import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.pool.PoolCosts;
import io.studiocp.hosts.pool.PoolSettings;
import io.studiocp.hosts.ProvisioningWorkflow;
import io.studiocp.hosts.StudioPaths;
import io.studiocp.hosts.aws.Ec2Hosts;
import io.studiocp.hosts.aws.SfnProvisioningWorkflow;
import io.studiocp.hosts.aws.SfnStartWorkflow;
import io.studiocp.identity.IdentityPolicy;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.Concurrently;
import io.studiocp.platform.Env;
import io.studiocp.platform.Settings;
import io.studiocp.police.MailRoom;
import io.studiocp.police.OwnerEmails;
import io.studiocp.police.PoliceRun;
import io.studiocp.police.PoliceSettings;
import io.studiocp.police.aws.SageMakerPoliceActions;
import io.studiocp.police.aws.SageMakerStudioInventory;
import io.studiocp.police.aws.SesMailer;
import io.studiocp.studio.aws.SageMakerStudioDirectory;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The admin console's use cases, built once per container: the report and explain over the
 * police's sweep and the fleet, the host actions over the users' lifecycle use cases, the app and
 * mark actions over SageMaker, and the police and the cleanup themselves, run in this function.
 */
record AdminWiring(List<String> domainIds, AdminReports reports, Explainer explainer, AdminHosts hosts,
    StudioApps studio, AdminApps apps, AdminMarks marks, PoliceRun police, CleanupRun cleanup, Clock clock,
    Runnable primeClients) {

  /** SageMaker throttles list calls of large domains: more tries, with the SDK's backoff and jitter (as the police). */
  private static final int ATTEMPTS = 8;

  static AdminWiring from(Env env, Clock clock) {
    List<String> domains = IdentityPolicy.from(env).domainIds();
    PoliceSettings police = PoliceSettings.from(env);
    CleanupSettings cleanup = CleanupSettings.from(env);
    HostPolicy hostPolicy = HostPolicy.from(env);
    StudioPaths paths = StudioPaths.from(env);
    AwsClients aws = new AwsClients(env);
    var sagemakerClient = Concurrently.start(() -> aws.build(SageMakerClient.builder(), "SAGEMAKER", ATTEMPTS));
    var taggingClient = Concurrently.start(() ->
        aws.build(ResourceGroupsTaggingApiClient.builder(), "RESOURCE_GROUPS_TAGGING_API", ATTEMPTS));
    var sfnClient = Concurrently.start(() -> aws.build(SfnClient.builder(), "SFN"));
    var ssmClient = Concurrently.start(() -> aws.build(SsmClient.builder(), "SSM"));
    Ec2Client ec2 = aws.build(Ec2Client.builder(), "EC2");
    Ec2Hosts ec2Hosts = new Ec2Hosts(ec2);
    HostFleet fleet = new HostFleet(ec2Hosts, ec2Hosts);
    SageMakerClient sagemaker = Concurrently.join(sagemakerClient);
    ResourceGroupsTaggingApiClient tagging = Concurrently.join(taggingClient);
    SfnClient sfn = Concurrently.join(sfnClient);
    SageMakerStudioInventory inventory = new SageMakerStudioInventory(sagemaker, tagging);
    ProvisioningWorkflow workflow = new SfnProvisioningWorkflow(sfn, env.require(Settings.STATE_MACHINE_ARN));
    OwnerEmails emails = new OwnerEmails(police.emailTagKey(), police.emailPattern(), police.adminEmails(),
        new SageMakerStudioDirectory(aws.json(SageMakerStudioDirectory.SAGEMAKER, ATTEMPTS)));
    MailRoom mail = new MailRoom(SesMailer.of(aws, police.fromAddress(), police.sesSandbox()));
    PoolCosts pool = new PoolCosts(PoolSettings.from(env, hostPolicy), police.prices(), hostPolicy.defaultVolumeGiB());
    AdminHosts hosts = new AdminHosts(ec2Hosts, ec2Hosts, workflow,
        new SfnStartWorkflow(sfn, env.require(Settings.START_STATE_MACHINE_ARN)), hostPolicy, paths, domains, clock);
    StudioApps studio = new SageMakerStudioApps(sagemaker);
    SsmSshRegistry ssh = new SsmSshRegistry(Concurrently.join(ssmClient), SshSettings.from(env).activationRole(),
        env.optional(Settings.REGION).orElse("us-east-1"));
    // The report's calls (what an admin runs first, and most), as priming calls: answered locally.
    Runnable primeClients = () -> {
      ec2.describeInstances(r -> r.overrideConfiguration(PRIMING).filters(f -> f.name("tag:studiocp:managed").values("true")));
      sagemaker.listDomains(r -> r.overrideConfiguration(PRIMING));
      sagemaker.listApps(r -> r.overrideConfiguration(PRIMING).domainIdEquals("d-priming"));
      sagemaker.listSpaces(r -> r.overrideConfiguration(PRIMING).domainIdEquals("d-priming"));
      tagging.getResources(r -> r.overrideConfiguration(PRIMING).resourceTypeFilters("sagemaker:app"));
    };
    return new AdminWiring(domains,
        new AdminReports(inventory, fleet, police.prices(), domains, clock, Optional.of(ssh), pool),
        new Explainer(police.policy(), cleanup, police.prices()),
        hosts, studio, new AdminApps(studio, domains), new AdminMarks(fleet, hosts, studio, domains, clock),
        new PoliceRun(inventory, fleet, emails, mail, new SageMakerPoliceActions(sagemaker, aws.json(SageMakerPoliceActions.TAGGING, ATTEMPTS)), police.policy(),
            police.prices(), police.domainIds(), police.adminEmails(), clock, pool),
        new CleanupRun(fleet, workflow, new Ec2ManagedGroups(ec2, () -> aws.build(EfsClient.builder(), "EFS")), inventory,
            emails, mail, cleanup, police.adminEmails(), clock,
            Optional.of(new SshHousekeeping(ssh, new SageMakerStudioSessions(sagemaker), domains))),
        clock, primeClients);
  }
}

package io.studiocp.hosts.aws;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.pool.KeepPool;
import io.studiocp.hosts.pool.PoolLaunch;
import io.studiocp.hosts.pool.PoolSettings;
import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.hosts.provisioning.SubnetChoice;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.platform.Env;
import io.studiocp.platform.Settings;
import io.studiocp.studio.aws.SageMakerStudioDirectory;
import java.time.Clock;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The warm pool's keeper over AWS, as the functions that keep the pool (the cleanup, the workflow's
 * Refill) build it: the same adapters Prepare and Launch use, and the pool's SQS queues.
 */
public final class AwsWarmPool {

  /** Where hosts report back, when not the region's public Step Functions endpoint (the sandbox). */
  public static final String HOST_SFN_ENDPOINT = "HOST_SFN_ENDPOINT";

  private AwsWarmPool() {}

  public static KeepPool keeper(Env env, AwsClients aws, Ec2Client ec2, Clock clock) {
    HostPolicy policy = HostPolicy.from(env);
    PoolSettings settings = PoolSettings.from(env, policy);
    Ec2Hosts hosts = new Ec2Hosts(ec2);
    HostFleet fleet = new HostFleet(hosts, hosts);
    AwsQueryClient ec2Query = Ec2Query.client(aws);
    Ec2Catalog catalog = new Ec2Catalog(ec2Query);
    PoolLaunch launch = new PoolLaunch(SageMakerStudioDirectory.of(aws), catalog,
        new SubnetChoice(catalog, catalog, fleet),
        SsmHostImages.of(aws, ec2Query),
        EfsFileSystems.of(aws, ec2Query),
        new Ec2HostNetwork(ec2Query), fleet,
        new Ec2HostLauncher(ec2, env.require(Settings.HOST_INSTANCE_PROFILE_ARN)),
        new SqsPoolQueues(aws.build(SqsClient.builder(), "SQS")),
        BootstrapUserData.packaged(), policy,
        new PoolLaunch.Endpoints(aws.region().id(), env.optional(Settings.HOST_SQS_ENDPOINT),
            env.optional(HOST_SFN_ENDPOINT)));
    return new KeepPool(settings, fleet, launch, clock);
  }
}

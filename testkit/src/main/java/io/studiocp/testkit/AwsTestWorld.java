package io.studiocp.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.sagemaker.StudioStandIn;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.emulators.ssm.SsmStandIn;
import io.studiocp.emulators.ssm.SsmWorld;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.aws.Ec2Query;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.platform.Env;
import io.studiocp.studio.StudioUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * A small Studio estate in moto and the Studio stand-in: a VPC with two subnets in two zones, a
 * Studio security group, the domain's EFS with a mount target per zone, and a domain with users
 * (alice and bob with roles of their own, carol and dave sharing one, erin acting from a laptop).
 * SSM goes through the SSM stand-in (activations and managed nodes), which passes the rest to moto.
 * The real SDK clients talk to it over HTTP.
 */
public final class AwsTestWorld implements AutoCloseable {

  public static final String REGION = "us-east-1";
  public static final String ACCOUNT = "123456789012";
  public static final String DOMAIN = "d-sandbox0001";
  public static final String ADMIN_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/platform-admin";
  public static final StudioUser ALICE = new StudioUser(DOMAIN, "alice");
  public static final StudioUser BOB = new StudioUser(DOMAIN, "bob");
  public static final StudioUser CAROL = new StudioUser(DOMAIN, "carol");
  public static final StudioUser ERIN = new StudioUser(DOMAIN, "erin");
  public static final String ERIN_LAPTOP = "arn:aws:iam::" + ACCOUNT + ":user/erin";

  public final MotoServer moto;
  public final StudioStandIn studio;
  public final SsmStandIn ssmStandIn;
  public final Ec2Client ec2;
  public final EfsClient efs;
  public final SsmClient ssm;
  public final SageMakerClient sagemaker;
  public final String vpcId;
  public final List<String> subnetIds;
  public final List<String> zones;
  public final String studioSecurityGroup;
  public final String fileSystemId;
  public final String hostInstanceProfileArn;
  public final Map<String, String> mountTargetByZone = new LinkedHashMap<>();
  private final Map<String, String> env = new HashMap<>();
  private AwsClients clients;

  private AwsTestWorld(MotoServer moto) {
    this.moto = moto;
    moto.reset();
    env.put("AWS_REGION", REGION);
    env.put("AWS_ACCESS_KEY_ID", "testing");
    env.put("AWS_SECRET_ACCESS_KEY", "testing");
    env.put("AWS_ENDPOINT_URL", moto.endpoint());
    this.ssmStandIn = SsmStandIn.start(new SsmWorld(REGION, ACCOUNT), 0, moto.endpoint());
    env.put("AWS_ENDPOINT_URL_SSM", ssmStandIn.endpoint());
    AwsClients base = new AwsClients(Env.of(env));
    this.ec2 = base.build(Ec2Client.builder(), "EC2");
    this.efs = base.build(EfsClient.builder(), "EFS");
    this.ssm = base.build(SsmClient.builder(), "SSM");

    vpcId = ec2.createVpc(r -> r.cidrBlock("10.20.0.0/16")).vpc().vpcId();
    zones = List.of(REGION + "a", REGION + "b");
    subnetIds = List.of(
        ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.20.1.0/24").availabilityZone(zones.get(0))).subnet().subnetId(),
        ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.20.2.0/24").availabilityZone(zones.get(1))).subnet().subnetId());
    studioSecurityGroup = ec2.createSecurityGroup(r -> r.vpcId(vpcId).groupName("studio-apps")
        .description("SageMaker Studio apps")).groupId();
    fileSystemId = efs.createFileSystem(r -> r.creationToken("studio-home-" + System.nanoTime())).fileSystemId();
    for (int i = 0; i < subnetIds.size(); i++) {
      String subnet = subnetIds.get(i);
      mountTargetByZone.put(zones.get(i), efs.createMountTarget(r -> r.fileSystemId(fileSystemId)
          .subnetId(subnet).securityGroups(studioSecurityGroup)).mountTargetId());
    }

    // The hosts' role and instance profile, as template.yaml makes them (moto checks they exist).
    try (IamClient iam = base.build(IamClient.builder(), "IAM")) {
      iam.createRole(r -> r.roleName("studiocp-host").assumeRolePolicyDocument(
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
      hostInstanceProfileArn = iam.createInstanceProfile(r -> r.instanceProfileName("studiocp-host")).instanceProfile().arn();
      iam.addRoleToInstanceProfile(r -> r.instanceProfileName("studiocp-host").roleName("studiocp-host"));
    }

    StudioWorld world = StudioWorld.fromSeed(seed(), Instant.now());
    this.studio = StudioStandIn.start(world, 0);
    env.put("AWS_ENDPOINT_URL_SAGEMAKER", studio.endpoint());
    env.put("AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API", studio.taggingEndpoint());
    this.sagemaker = clients().build(SageMakerClient.builder(), "SAGEMAKER");
  }

  public static AwsTestWorld create(MotoServer moto) {
    return new AwsTestWorld(moto);
  }

  private com.fasterxml.jackson.databind.JsonNode seed() {
    String role = "arn:aws:iam::" + ACCOUNT + ":role/";
    String json = """
        {"region": "%s", "accountId": "%s",
         "domains": [{"domainId": "%s", "domainName": "test", "vpcId": "%s", "subnetIds": ["%s", "%s"],
           "homeEfsFileSystemId": "%s", "securityGroups": ["%s"], "executionRole": "%sstudio-default",
           "userProfiles": [
             {"name": "alice", "uid": 200001, "executionRole": "%sstudio-alice",
              "tags": {"studiocp:email": "alice@example.com"}},
             {"name": "bob", "uid": 200002, "executionRole": "%sstudio-bob", "ssoUserValue": "bob@example.com"},
             {"name": "carol", "uid": 200003, "executionRole": "%sstudio-shared"},
             {"name": "dave", "uid": 200004, "executionRole": "%sstudio-shared"},
             {"name": "erin", "uid": 200005, "executionRole": "%sstudio-erin",
              "tags": {"studiocp:principals": "%s"}}]}]}
        """.formatted(REGION, ACCOUNT, DOMAIN, vpcId, subnetIds.get(0), subnetIds.get(1), fileSystemId,
        studioSecurityGroup, role, role, role, role, role, role, ERIN_LAPTOP);
    try {
      return new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The settings a function would be deployed with, pointing at the stand-ins. */
  public Map<String, String> env() {
    Map<String, String> settings = new HashMap<>(env);
    settings.putIfAbsent("STUDIO_DOMAIN_IDS", DOMAIN);
    settings.putIfAbsent("ADMIN_PRINCIPALS", ADMIN_ROLE);
    settings.putIfAbsent("ALLOWED_INSTANCE_TYPES", "m5.*,c5.*,t3.*,g5.*,g5g.*,inf2.*,t4g.*");
    settings.putIfAbsent("MAX_HOSTS_PER_USER", "2");
    settings.putIfAbsent("HOST_INSTANCE_PROFILE_ARN", hostInstanceProfileArn);
    return settings;
  }

  /** Adds a setting (for example the state machine ARN) to {@link #env()}. */
  public AwsTestWorld with(String name, String value) {
    env.put(name, value);
    clients = null;
    return this;
  }

  public AwsClients clients() {
    if (clients == null) {
      clients = new AwsClients(Env.of(env()));
    }
    return clients;
  }

  /** The lean EC2 client ({@code hosts/aws/Ec2Query}) over the same endpoint as {@link #ec2}. */
  public AwsQueryClient ec2Query() {
    return Ec2Query.client(clients());
  }

  public SfnClient sfn() {
    return clients().build(SfnClient.builder(), "SFN");
  }

  /** The Studio role ARN of a seeded user, as a caller through API Gateway would be seen. */
  public static String assumedRole(String roleName) {
    return "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + roleName + "/SageMaker";
  }

  @Override
  public void close() {
    studio.close();
    ssmStandIn.close();
    sagemaker.close();
    ec2.close();
    efs.close();
    ssm.close();
  }

  /** A warm pool host of {@code domainId} waiting for a claim in the first subnet, tagged as the keeper tags one (100 GiB). */
  public String launchPooledHost(String domainId, String instanceType, Instant createdAt) {
    return ec2.runInstances(r -> r.imageId("ami-0aae19d30bab785d3").instanceType(instanceType).minCount(1)
        .maxCount(1).subnetId(subnetIds.getFirst()).tagSpecifications(TagSpecification.builder()
            .resourceType(ResourceType.INSTANCE).tags(tag(HostTags.MANAGED, "true"), tag(HostTags.POOL, domainId),
                tag(HostTags.STATE, HostTags.POOLED), tag(HostTags.VOLUME_GIB, "100"),
                tag(HostTags.CREATED_AT, createdAt.toString())).build()))
        .instances().getFirst().instanceId();
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }
}

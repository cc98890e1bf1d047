package io.studiocp.hosts.aws;

import static io.studiocp.testkit.AwsTestWorld.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.HostRequest;
import io.studiocp.hosts.HostState;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.StudioPaths;
import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.hosts.provisioning.CompensateInput;
import io.studiocp.hosts.provisioning.CompensateProvisioning;
import io.studiocp.hosts.provisioning.FailureReason;
import io.studiocp.hosts.provisioning.LaunchHost;
import io.studiocp.hosts.provisioning.LaunchPlan;
import io.studiocp.hosts.provisioning.LaunchRequest;
import io.studiocp.hosts.provisioning.PrepareInput;
import io.studiocp.hosts.provisioning.PrepareLaunch;
import io.studiocp.hosts.provisioning.ProvisioningException;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.platform.Env;
import io.studiocp.studio.aws.SageMakerStudioDirectory;
import io.studiocp.testkit.AwsTestWorld;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Volume;

/** Prepare, Launch and Compensate against moto and the Studio stand-in, through the real SDK. */
@ExtendWith(MotoExtension.class)
class ProvisioningStepsTest {

  private final MotoServer moto;
  private AwsTestWorld world;
  private Ec2Hosts hosts;
  private HostFleet fleet;
  private PrepareLaunch prepare;
  private LaunchHost launch;
  private final List<RunInstancesRequest> runRequests = new ArrayList<>();

  ProvisioningStepsTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void setUp() {
    world = AwsTestWorld.create(moto);
    Env env = Env.of(world.env());
    // The real client over HTTP to moto, with an interceptor that only records what was sent.
    Ec2Client ec2 = world.clients().build(Ec2Client.builder().overrideConfiguration(c -> c.addExecutionInterceptor(
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof RunInstancesRequest run) {
              runRequests.add(run);
            }
          }
        })), "EC2");
    hosts = new Ec2Hosts(ec2);
    fleet = new HostFleet(hosts, hosts);
    // Prepare as its function wires it: every read and change over the lean clients, hosts read by LeanEc2Hosts.
    AwsQueryClient ec2Query = world.ec2Query();
    Ec2Catalog catalog = new Ec2Catalog(ec2Query);
    prepare = new PrepareLaunch(SageMakerStudioDirectory.of(world.clients()), catalog, catalog,
        SsmHostImages.of(world.clients(), ec2Query), EfsFileSystems.of(world.clients(), ec2Query),
        new Ec2HostNetwork(ec2Query), new HostFleet(new LeanEc2Hosts(ec2Query), hosts), StudioPaths.from(env),
        HostPolicy.from(env));
    launch = new LaunchHost(fleet, new Ec2HostLauncher(ec2, world.hostInstanceProfileArn), BootstrapUserData.packaged(),
        "us-east-1", Optional.empty());
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  private PrepareInput input(String key, List<Integer> extraPorts) {
    return new PrepareInput(HostId.derive(ALICE, key), ALICE,
        new HostRequest("m5.xlarge", null, 80, 4, extraPorts),
        "arn:aws:states:us-east-1:123456789012:execution:ProvisionHost:" + HostId.derive(ALICE, key),
        "2026-11-23T10:00:00Z");
  }

  private List<SecurityGroup> managedGroups() {
    return world.ec2.describeSecurityGroups(r -> r.filters(f -> f.name("vpc-id").values(world.vpcId))).securityGroups()
        .stream().filter(g -> g.groupName().startsWith("studiocp-")).toList();
  }

  private static int ruleCount(List<SecurityGroup> groups) {
    return groups.stream().mapToInt(g -> g.ipPermissions().stream()
        .mapToInt(p -> p.userIdGroupPairs().size()).sum()).sum();
  }

  @Test
  void prepareResolvesEverythingALaunchNeeds() {
    LaunchPlan plan = prepare.prepare(input("k1", List.of()));
    assertTrue(world.subnetIds.contains(plan.subnetId()));
    assertEquals("x86_64", plan.architecture());
    assertEquals(world.ssm.getParameter(r -> r.name("/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"))
        .parameter().value(), plan.imageId());
    assertEquals("/dev/xvda", plan.rootDeviceName());
    assertEquals(200001, plan.uid());
    assertEquals("2026-11-23T14:00:00Z", plan.expiresAt(), "the TTL counts from the execution start");
    String mountTargetIp = world.efs.describeMountTargets(r -> r.mountTargetId(
        world.mountTargetByZone.get(plan.availabilityZone()))).mountTargets().getFirst().ipAddress();
    assertEquals(mountTargetIp + ":/200001=/home/sagemaker-user", plan.mounts().getFirst().spec());

    SecurityGroup hostGroup = managedGroups().stream()
        .filter(g -> g.groupName().equals("studiocp-docker-hosts-" + AwsTestWorld.DOMAIN)).findFirst().orElseThrow();
    assertEquals(List.of(hostGroup.groupId()), plan.securityGroupIds());
    assertEquals(Map.of(1111, List.of(world.studioSecurityGroup), 8080, List.of(world.studioSecurityGroup)),
        sourcesByPort(hostGroup), "only the Studio group, only the Docker port and 8080");
    SecurityGroup efsGroup = managedGroups().stream()
        .filter(g -> g.groupName().equals("studiocp-efs-" + AwsTestWorld.DOMAIN)).findFirst().orElseThrow();
    assertEquals(Map.of(2049, List.of(hostGroup.groupId())), sourcesByPort(efsGroup));
    assertTrue(world.efs.describeMountTargetSecurityGroups(r -> r.mountTargetId(
        world.mountTargetByZone.get(plan.availabilityZone()))).securityGroups().contains(efsGroup.groupId()));
  }

  private static Map<Integer, List<String>> sourcesByPort(SecurityGroup group) {
    return group.ipPermissions().stream().collect(Collectors.toMap(IpPermission::fromPort,
        p -> p.userIdGroupPairs().stream().map(u -> u.groupId()).toList()));
  }

  @Test
  void preparingTwiceCreatesNothingNewAndDuplicatesNoRule() {
    LaunchPlan first = prepare.prepare(input("k1", List.of(8888)));
    List<SecurityGroup> groupsAfterFirst = managedGroups();
    int rulesAfterFirst = ruleCount(groupsAfterFirst);
    String zone = first.availabilityZone();
    List<String> attachedAfterFirst = world.efs.describeMountTargetSecurityGroups(
        r -> r.mountTargetId(world.mountTargetByZone.get(zone))).securityGroups();

    LaunchPlan second = prepare.prepare(input("k1", List.of(8888)));

    assertEquals(first, second, "the same plan");
    assertEquals(3, groupsAfterFirst.size(), "host group, EFS group, the host's own extra-ports group");
    assertEquals(groupsAfterFirst.stream().map(SecurityGroup::groupId).sorted().toList(),
        managedGroups().stream().map(SecurityGroup::groupId).sorted().toList());
    assertEquals(rulesAfterFirst, ruleCount(managedGroups()));
    assertEquals(attachedAfterFirst, world.efs.describeMountTargetSecurityGroups(
        r -> r.mountTargetId(world.mountTargetByZone.get(zone))).securityGroups());
  }

  /** A group that exists is admitted from the reading that found it: a rule gone from it is added again. */
  @Test
  void aRuleRemovedFromAnExistingGroupIsAddedAgain() {
    LaunchPlan first = prepare.prepare(input("k1", List.of()));
    SecurityGroup hostGroup = managedGroups().stream()
        .filter(g -> g.groupName().equals("studiocp-docker-hosts-" + AwsTestWorld.DOMAIN)).findFirst().orElseThrow();
    SecurityGroup efsGroup = managedGroups().stream()
        .filter(g -> g.groupName().equals("studiocp-efs-" + AwsTestWorld.DOMAIN)).findFirst().orElseThrow();
    world.ec2.revokeSecurityGroupIngress(r -> r.groupId(hostGroup.groupId()).ipPermissions(hostGroup.ipPermissions()
        .stream().filter(p -> p.fromPort() == 1111).toList()));
    world.ec2.revokeSecurityGroupIngress(r -> r.groupId(efsGroup.groupId()).ipPermissions(efsGroup.ipPermissions()));
    assertEquals(Map.of(8080, List.of(world.studioSecurityGroup)), sourcesByPort(managedGroups().stream()
        .filter(g -> g.groupId().equals(hostGroup.groupId())).findFirst().orElseThrow()), "the rule is gone");

    assertEquals(first, prepare.prepare(input("k1", List.of())));

    SecurityGroup hostAgain = managedGroups().stream().filter(g -> g.groupId().equals(hostGroup.groupId()))
        .findFirst().orElseThrow();
    SecurityGroup efsAgain = managedGroups().stream().filter(g -> g.groupId().equals(efsGroup.groupId()))
        .findFirst().orElseThrow();
    assertEquals(Map.of(1111, List.of(world.studioSecurityGroup), 8080, List.of(world.studioSecurityGroup)),
        sourcesByPort(hostAgain));
    assertEquals(Map.of(2049, List.of(hostGroup.groupId())), sourcesByPort(efsAgain));
  }

  @Test
  void aMountTargetWithFiveGroupsFailsClearly() {
    for (String mountTarget : world.mountTargetByZone.values()) {
      List<String> five = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        int n = i;
        five.add(world.ec2.createSecurityGroup(r -> r.vpcId(world.vpcId).groupName(mountTarget + "-" + n)
            .description("x")).groupId());
      }
      world.efs.modifyMountTargetSecurityGroups(r -> r.mountTargetId(mountTarget).securityGroups(five));
    }
    ProvisioningException e = assertThrows(ProvisioningException.class, () -> prepare.prepare(input("k1", List.of())));
    assertTrue(e.getMessage().contains("already has 5 security groups"), e.getMessage());
    assertTrue(e.getMessage().contains("TCP 2049"), "says what to do instead: " + e.getMessage());
  }

  @Test
  void launchHardensTheInstanceAndARetryReturnsTheSameOne() {
    LaunchPlan plan = prepare.prepare(input("k1", List.of()));
    LaunchHost.Launched first = launch.launch(new LaunchRequest(plan, "AQtoken-1"));
    LaunchHost.Launched retried = launch.launch(new LaunchRequest(plan, "AQtoken-1"));

    assertEquals(first.instanceId(), retried.instanceId());
    assertTrue(retried.reused());
    assertEquals(1, runRequests.size(), "a retry does not call RunInstances again");
    RunInstancesRequest sent = runRequests.getFirst();
    assertTrue(sent.clientToken().startsWith(plan.hostId().value()), sent.clientToken());
    // The launch role may create instances, volumes and network interfaces only with the product's tag.
    assertEquals(Set.of("instance", "volume", "network-interface"), sent.tagSpecifications().stream()
        .filter(spec -> spec.tags().stream().anyMatch(t -> t.key().equals(HostTags.MANAGED) && t.value().equals("true")))
        .map(spec -> spec.resourceTypeAsString()).collect(Collectors.toSet()));

    Instance instance = world.ec2.describeInstances(r -> r.instanceIds(first.instanceId()))
        .reservations().getFirst().instances().getFirst();
    assertEquals("required", instance.metadataOptions().httpTokensAsString());
    assertEquals(1, instance.metadataOptions().httpPutResponseHopLimit());
    assertEquals(sent.clientToken(), instance.clientToken());
    Map<String, String> tags = instance.tags().stream()
        .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    assertEquals("true", tags.get(HostTags.MANAGED));
    assertEquals(plan.hostId().value(), tags.get(HostTags.HOST_ID));
    assertEquals(ALICE.owner(), tags.get(HostTags.OWNER));
    assertEquals("PROVISIONING", tags.get(HostTags.STATE));
    assertEquals(plan.expiresAt(), tags.get(HostTags.EXPIRES_AT));
    assertEquals(plan.executionArn(), tags.get(HostTags.EXECUTION_ARN));

    Volume volume = world.ec2.describeVolumes(r -> r.filters(f -> f.name("attachment.instance-id")
        .values(first.instanceId()))).volumes().getFirst();
    assertEquals("gp3", volume.volumeTypeAsString());
    assertTrue(volume.encrypted());
    assertEquals(80, volume.size());

    String userData = UserData.decode(world.ec2.describeInstanceAttribute(
        r -> r.instanceId(first.instanceId()).attribute("userData")).userData().value());
    assertEquals("AQtoken-1", BootstrapUserData.taskToken(userData).orElseThrow());
    assertEquals("AQtoken-1", hosts.taskTokenOf(first.instanceId()).orElseThrow());
  }

  @Test
  void aNewAttemptReplacesTheInstanceOfAnEarlierOne() {
    LaunchPlan plan = prepare.prepare(input("k1", List.of()));
    String stale = launch.launch(new LaunchRequest(plan, "AQtoken-1")).instanceId();
    String fresh = launch.launch(new LaunchRequest(plan, "AQtoken-2")).instanceId();

    assertFalse(stale.equals(fresh));
    HostInstance old = hosts.instance(stale).orElseThrow();
    assertTrue(old.isGone(), "the earlier attempt's instance is terminated: " + old.ec2State());
    assertEquals(List.of(fresh), hosts.instancesOf(plan.hostId()).stream().filter(i -> !i.isGone())
        .map(HostInstance::instanceId).toList());
  }

  @Test
  void compensateTerminatesAndRecordsWhy() {
    LaunchPlan plan = prepare.prepare(input("k1", List.of()));
    String instanceId = launch.launch(new LaunchRequest(plan, "AQtoken-1")).instanceId();

    FailureReason reason = new CompensateProvisioning(fleet).compensate(new CompensateInput(plan.hostId(),
        plan.certDirectory(), new CompensateInput.CaughtError("BootstrapFailed", "step 'dockerd' failed: no space")));

    assertEquals("HostBootstrapFailed", reason.error());
    HostInstance instance = hosts.instance(instanceId).orElseThrow();
    assertTrue(instance.isGone());
    assertEquals(HostState.FAILED, instance.state());
    assertEquals("step 'dockerd' failed: no space", instance.toHost().failureReason());
  }

  @Test
  void compensateWithNothingLaunchedStillNamesTheReason() {
    FailureReason reason = new CompensateProvisioning(fleet).compensate(new CompensateInput(
        HostId.derive(ALICE, "never"), null, new CompensateInput.CaughtError("States.Timeout", "")));
    assertEquals("HostTimedOut", reason.error());
  }
}

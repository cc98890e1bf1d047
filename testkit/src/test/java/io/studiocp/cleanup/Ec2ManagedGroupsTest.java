package io.studiocp.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.cleanup.CleanupAction.Kind;
import io.studiocp.cleanup.CleanupPlanner.ManagedGroup;
import io.studiocp.cleanup.aws.Ec2ManagedGroups;
import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.aws.Ec2HostNetwork;
import io.studiocp.hosts.aws.EfsFileSystems;
import io.studiocp.hosts.provisioning.MountTarget;
import io.studiocp.platform.Env;
import io.studiocp.testkit.AwsTestWorld;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The EFS group Prepare puts on a domain's mount targets is taken off once no host of the domain
 * is left (sdocker never reverted its change), and the groups then go as unused: against moto.
 */
@ExtendWith(MotoExtension.class)
class Ec2ManagedGroupsTest {

  private final MotoServer moto;
  private AwsTestWorld world;

  Ec2ManagedGroupsTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void start() {
    world = AwsTestWorld.create(moto);
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private List<String> groupsOnMountTargets() {
    return world.mountTargetByZone.values().stream().flatMap(mt -> world.efs.describeMountTargetSecurityGroups(
        r -> r.mountTargetId(mt)).securityGroups().stream()).toList();
  }

  /** What Prepare does for the domain: its host group, and the NFS group admitting it on every mount target. */
  private void nfsGroupOnEveryMountTarget() {
    String hostGroup = new Ec2HostNetwork(world.ec2Query()).ensureHostGroup(world.vpcId, AwsTestWorld.DOMAIN,
        List.of(world.studioSecurityGroup), 1111);
    EfsFileSystems fileSystems = EfsFileSystems.of(world.clients(), world.ec2Query());
    for (MountTarget target : fileSystems.mountTargets(world.fileSystemId).values()) {
      fileSystems.allowNfs(target, world.vpcId, AwsTestWorld.DOMAIN, hostGroup);
    }
  }

  @Test
  void theEfsGroupOfADomainWithoutHostsIsTakenOffItsMountTargetsThenDeleted() {
    // What Prepare does for a domain's first host.
    nfsGroupOnEveryMountTarget();
    AtomicInteger efsClientsBuilt = new AtomicInteger();
    Ec2ManagedGroups groups = new Ec2ManagedGroups(world.ec2, () -> {
      efsClientsBuilt.incrementAndGet();
      return world.efs;
    });
    ManagedGroup efsGroup = groups.all().stream().filter(g -> g.role().equals("efs")).findFirst().orElseThrow();
    assertTrue(efsGroup.inUse(), "on the mount targets: " + efsGroup);
    assertEquals(AwsTestWorld.DOMAIN, efsGroup.domainId().orElseThrow());
    assertTrue(groupsOnMountTargets().contains(efsGroup.groupId()));

    CleanupPlanner planner = new CleanupPlanner(CleanupSettings.from(Env.of(Map.of())));
    List<CleanupAction> plan = planner.plan(List.of(), List.of(), Set.of(), groups.all(), Instant.now());
    assertTrue(plan.stream().anyMatch(a -> a.kind() == Kind.DETACH_EFS_GROUP && a.resourceId().equals(efsGroup.groupId())),
        plan.toString());

    assertEquals(0, efsClientsBuilt.get(), "reading the groups needs no EFS client");
    assertEquals(world.mountTargetByZone.size(), groups.detachFromMountTargets(efsGroup.groupId()));
    assertFalse(groupsOnMountTargets().contains(efsGroup.groupId()), "taken off");
    assertTrue(groupsOnMountTargets().contains(world.studioSecurityGroup), "Studio's own group stays");
    assertEquals(0, groups.detachFromMountTargets(efsGroup.groupId()), "a second run finds nothing to do");
    assertEquals(1, efsClientsBuilt.get(), "the EFS client is built once, when first needed");

    List<CleanupAction> next = planner.plan(List.of(), List.of(), Set.of(), groups.all(), Instant.now());
    assertTrue(next.stream().anyMatch(a -> a.kind() == Kind.DELETE_SECURITY_GROUP
        && a.resourceId().equals(efsGroup.groupId())), next.toString());
    assertTrue(groups.delete(efsGroup.groupId()));
  }

  @Test
  void aDomainWhosePoolHostsWaitKeepsItsNfsGroupOnItsMountTargets() {
    nfsGroupOnEveryMountTarget();
    HostInstance waiting = poolHostOf(AwsTestWorld.DOMAIN);
    assertTrue(waiting.isPooled());
    CleanupPlanner planner = new CleanupPlanner(CleanupSettings.from(Env.of(Map.of())));
    List<ManagedGroup> all = new Ec2ManagedGroups(world.ec2, world.efs).all();
    assertTrue(planner.plan(List.of(), List.of(waiting), Set.of(), all, Instant.now()).stream()
        .noneMatch(a -> a.kind() == Kind.DETACH_EFS_GROUP), "a claim mounts the user's home at once");
    assertTrue(planner.plan(List.of(), List.of(poolHostOf("d-another")), Set.of(), all, Instant.now()).stream()
        .anyMatch(a -> a.kind() == Kind.DETACH_EFS_GROUP), "another domain's pool keeps nothing of this one");
  }

  private static HostInstance poolHostOf(String domainId) {
    return new HostInstance("i-0000000000000pool", "running", "m5.large", "subnet-1", "ip-10-0-0-9", "10.0.0.9",
        Instant.now(), Map.of(HostTags.MANAGED, "true", HostTags.POOL, domainId, HostTags.STATE, HostTags.POOLED));
  }

  @Test
  void whileAProvisioningRunsNothingIsTakenOff() {
    nfsGroupOnEveryMountTarget();
    List<CleanupAction> plan = new CleanupPlanner(CleanupSettings.from(Env.of(Map.of())))
        .plan(List.of(), List.of(), Set.of(new HostId("h-00000000000000cc")),
            new Ec2ManagedGroups(world.ec2, world.efs).all(), Instant.now());
    assertTrue(plan.stream().noneMatch(a -> a.kind() == Kind.DETACH_EFS_GROUP), plan.toString());
  }
}

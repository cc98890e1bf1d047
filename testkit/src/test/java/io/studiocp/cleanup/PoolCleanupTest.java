package io.studiocp.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.InstanceTypeInfo;
import io.studiocp.hosts.pool.KeepPool;
import io.studiocp.hosts.pool.PoolLaunch;
import io.studiocp.hosts.pool.PoolSettings;
import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.hosts.provisioning.FileSystems;
import io.studiocp.hosts.provisioning.HostImage;
import io.studiocp.hosts.provisioning.MountTarget;
import io.studiocp.hosts.provisioning.SubnetChoice;
import io.studiocp.platform.Env;
import io.studiocp.police.MailRoom;
import io.studiocp.police.OwnerEmails;
import io.studiocp.studio.StudioDomain;
import io.studiocp.testkit.fakes.InMemoryCatalog;
import io.studiocp.testkit.fakes.InMemoryFleet;
import io.studiocp.testkit.fakes.InMemoryMailer;
import io.studiocp.testkit.fakes.InMemoryPoolQueues;
import io.studiocp.testkit.fakes.InMemoryStudioDirectory;
import io.studiocp.testkit.fakes.InMemoryStudioInventory;
import io.studiocp.testkit.fakes.NoManagedGroups;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cleanup's scheduled run keeps the warm pool: its launches and retirements in the report and the admins' digest. */
class PoolCleanupTest {

  private final InMemoryFleet world = new InMemoryFleet(Instant.parse("2026-12-07T09:00:00Z"));
  private final InMemoryMailer mailer = new InMemoryMailer();
  private final HostPolicy policy = HostPolicy.from(Env.of(Map.of()));
  private final InMemoryCatalog catalog = new InMemoryCatalog()
      .type(new InstanceTypeInfo("m5.xlarge", "x86_64", false, false), "eu-central-1a")
      .subnet("subnet-a", "eu-central-1a");
  private final InMemoryStudioDirectory directory = new InMemoryStudioDirectory()
      .add(new StudioDomain("d-abc", "vpc-1", List.of("subnet-a"), "fs-home", List.of("sg-studio"),
          "arn:aws:iam::123456789012:role/studio", false));
  private final FileSystems fileSystems = new FileSystems() {
    @Override
    public Map<String, MountTarget> mountTargets(String fileSystemId) {
      return Map.of("eu-central-1a", new MountTarget("fsmt-a", fileSystemId, "eu-central-1a", "subnet-a", "10.0.1.5"));
    }

    @Override
    public void allowNfs(MountTarget target, String vpcId, String domainId, String hostGroupId) {}
  };

  private CleanupRun cleanup(String pool) {
    ManagedGroups noGroups = new NoManagedGroups();
    PoolLaunch launch = new PoolLaunch(directory, catalog, new SubnetChoice(catalog, catalog, world.fleet),
        type -> new HostImage("ami-1", "/dev/xvda"), fileSystems, world.network, world.fleet, world.ec2,
        new InMemoryPoolQueues(), BootstrapUserData.packaged(), policy,
        new PoolLaunch.Endpoints("eu-central-1", Optional.empty(), Optional.empty()));
    return new CleanupRun(world.fleet, world.workflow, noGroups, new InMemoryStudioInventory(),
        new OwnerEmails("studiocp:email", Optional.empty(), List.of("admins@example.com"), new InMemoryStudioDirectory()),
        new MailRoom(mailer),
        new CleanupSettings(Duration.ofMinutes(60), CleanupSettings.ExpiredAction.STOP, Duration.ofMinutes(120),
            Duration.ofMinutes(30), Duration.ofSeconds(900), Duration.ofMinutes(120)),
        List.of("admins@example.com"), world.clock)
        .keepingPool(new KeepPool(PoolSettings.parse(pool, policy), world.fleet, launch, world.clock)::keep);
  }

  @Test
  void aRunFillsThePoolAndTellsTheAdmins() {
    CleanupReport report = cleanup("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 2}}}").run(false);

    assertEquals(2, report.actions().stream().filter(a -> a.kind() == CleanupAction.Kind.LAUNCH_POOL_HOST).count(),
        report.toString());
    assertEquals(2, world.fleet.pooled().size());
    String digest = mailer.sent().getLast().text();
    assertTrue(digest.contains("warm pool host launched"), digest);
  }

  @Test
  void aRunRetiresAPoolNoLongerConfiguredAndADryRunTouchesNothing() {
    cleanup("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}}}").run(false);
    String pooled = world.fleet.pooled().getFirst().instanceId();

    CleanupReport dry = cleanup("{}").run(true);
    assertEquals(List.of(), dry.actions());
    assertEquals(1, world.fleet.pooled().size());

    CleanupReport real = cleanup("{}").run(false);
    assertEquals(List.of(pooled), real.actions().stream()
        .filter(a -> a.kind() == CleanupAction.Kind.RETIRE_POOL_HOST).map(CleanupAction::resourceId).toList());
    assertEquals("terminated", world.ec2.stateOf(pooled));
  }

  @Test
  void aPoolThatCannotBeKeptIsAFailureOfTheRunNotItsEnd() {
    CleanupReport report = cleanup("{\"d-gone\": {\"sizes\": {\"m5.xlarge\": 1}}}").run(false);

    assertEquals(List.of("the warm pool of d-gone m5.xlarge could not be kept: domain d-gone does not exist"),
        report.failures());
  }
}

package io.studiocp.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.studio.StudioUser;
import io.studiocp.testkit.fakes.InMemoryFleet;
import io.studiocp.testkit.fakes.InMemoryHosts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet's rules, over EC2 in memory. */
class HostFleetTest {

  private static final StudioUser ALICE = new StudioUser("d-abc", "alice");
  private static final StudioUser BOB = new StudioUser("d-other", "bob");

  private final InMemoryFleet hosts = new InMemoryFleet(Instant.parse("2026-03-01T10:00:00Z"));
  private final HostFleet fleet = hosts.fleet;
  private final InMemoryHosts ec2 = hosts.ec2;

  private HostInstance instance(String instanceId) {
    return fleet.instance(instanceId).orElseThrow();
  }

  @Test
  void aNewLaunchCarriesWhoOwnsItAndThatItIsProvisioning() {
    HostId id = HostId.derive(ALICE, "k");
    Map<String, String> tags = fleet.launchTags(new HostFleet.NewHost(id, ALICE, "2026-03-01T22:00:00Z",
        "arn:aws:states:us-east-1:123456789012:execution:ProvisionHost:" + id, 1111,
        "/home/sagemaker-user/.sdocker/hosts/" + id, List.of(8888, 9000), "0123456789abcdef"));

    HostInstance launched = instance(ec2.add("m5.large", "subnet-1", "pending", tags));
    assertTrue(launched.isManaged());
    assertEquals(id, launched.hostId().orElseThrow());
    assertEquals(ALICE, launched.owner().orElseThrow());
    assertEquals("d-abc", launched.domainId().orElseThrow());
    assertEquals(HostState.PROVISIONING, launched.state());
    assertEquals("0123456789abcdef", launched.launchAttempt().orElseThrow());
    assertEquals("studiocp-alice-" + id, tags.get("Name"));
    Host host = launched.toHost();
    assertEquals(List.of(8888, 9000), host.extraPorts());
    assertEquals(Instant.parse("2026-03-01T22:00:00Z"), host.expiresAt());
  }

  @Test
  void aHostWithoutExtraPortsCarriesNoPortsTag() {
    HostId id = HostId.derive(ALICE, "k");
    Map<String, String> tags = fleet.launchTags(new HostFleet.NewHost(id, ALICE, "2026-03-01T22:00:00Z", "arn",
        1111, "/home/u", List.of(), "a"));
    assertFalse(tags.containsKey(HostTags.EXTRA_PORTS));
  }

  @Test
  void terminatingMarksEveryInstanceInOneCallAndEndsThemInAnother() {
    String one = hosts.instance(HostId.derive(ALICE, "1"), ALICE, "running", HostState.READY);
    String two = hosts.instance(HostId.derive(ALICE, "2"), ALICE, "stopped", HostState.STOPPED);

    fleet.terminate(List.of(instance(one), instance(two)));

    assertEquals(1, ec2.count("CreateTags"));
    assertEquals(1, ec2.count("TerminateInstances"));
    assertEquals("TERMINATING", ec2.tagsOf(one).get(HostTags.STATE));
    assertEquals("TERMINATING", ec2.tagsOf(two).get(HostTags.STATE));
    assertEquals("terminated", ec2.stateOf(two));
  }

  @Test
  void aFailedHostKeepsItsMarkWhoeverEndsIt() {
    String failed = hosts.instance(HostId.derive(ALICE, "f"), ALICE, "running", HostState.FAILED);

    fleet.terminate(List.of(instance(failed)));

    assertEquals("FAILED", ec2.tagsOf(failed).get(HostTags.STATE));
    assertEquals("terminated", ec2.stateOf(failed));
    assertEquals(0, ec2.count("CreateTags"), "nothing to mark");
  }

  @Test
  void failingRecordsTheReasonAndTerminatesWhatStillRuns() {
    String running = hosts.instance(HostId.derive(ALICE, "r"), ALICE, "running", HostState.PROVISIONING);
    String leaving = hosts.instance(HostId.derive(ALICE, "l"), ALICE, "shutting-down", HostState.PROVISIONING);
    String gone = hosts.instance(HostId.derive(ALICE, "g"), ALICE, "terminated", HostState.PROVISIONING);

    fleet.fail(List.of(instance(running), instance(leaving), instance(gone)), "x".repeat(300));

    assertEquals("FAILED", ec2.tagsOf(running).get(HostTags.STATE));
    assertEquals(256, ec2.tagsOf(running).get(HostTags.FAILURE_REASON).length(), "an EC2 tag holds 256 characters");
    assertEquals("FAILED", ec2.tagsOf(leaving).get(HostTags.STATE));
    assertEquals("PROVISIONING", ec2.tagsOf(gone).get(HostTags.STATE), "a terminated instance is left as it is");
    assertEquals(List.of(running), ec2.calls().stream().filter(c -> c.operation().equals("TerminateInstances"))
        .findFirst().orElseThrow().instanceIds(), "only what still runs is terminated");
  }

  @Test
  void readyHostsAreTheRunningReadyOnesOfTheDomainsAsked() {
    String ready = hosts.instance(HostId.derive(ALICE, "1"), ALICE, "running", HostState.READY);
    hosts.instance(HostId.derive(ALICE, "2"), ALICE, "running", HostState.PROVISIONING);
    hosts.instance(HostId.derive(ALICE, "3"), ALICE, "stopped", HostState.READY);
    String elsewhere = hosts.instance(HostId.derive(BOB, "4"), BOB, "running", HostState.READY);
    ec2.add("m5.large", "subnet-1", "running", Map.of("Name", "not ours"));

    assertEquals(List.of(ready), fleet.ready(List.of("d-abc")).stream().map(HostInstance::instanceId).toList());
    assertEquals(List.of(elsewhere, ready).stream().sorted().toList(),
        fleet.ready(List.of()).stream().map(HostInstance::instanceId).sorted().toList(), "every domain");
  }

  @Test
  void readyRecordsWhereDockerListensAndSince() {
    String id = hosts.instance(HostId.derive(ALICE, "1"), ALICE, "running", HostState.PROVISIONING);

    fleet.markReady(instance(id), "ip-10-0-0-9.ec2.internal", 1111, Instant.parse("2026-03-01T10:01:00Z"));

    Host host = instance(id).toHost();
    assertEquals(HostState.READY, host.state());
    assertEquals("tcp://ip-10-0-0-9.ec2.internal:1111", host.dockerEndpoint());
    assertEquals(Instant.parse("2026-03-01T10:01:00Z"), host.readyAt());
  }

  @Test
  void otherCapabilitiesMayMarkHostsButNotTouchTheirState() {
    String one = hosts.instance(HostId.derive(ALICE, "1"), ALICE, "running", HostState.READY);
    String two = hosts.instance(HostId.derive(ALICE, "2"), ALICE, "running", HostState.READY);

    fleet.setMarks(List.of(instance(one), instance(two)), Map.of("studiocp:reminded-at", "2026-03-01T10:00:00Z"));
    assertEquals(1, ec2.count("CreateTags"), "one call for every host");
    assertEquals("2026-03-01T10:00:00Z", ec2.tagsOf(two).get("studiocp:reminded-at"));

    for (String key : List.of(HostTags.STATE, HostTags.EXPIRES_AT, HostTags.OWNER, "Name")) {
      assertThrows(IllegalArgumentException.class, () -> fleet.setMarks(List.of(instance(one)), Map.of(key, "x")), key);
    }
    assertEquals("READY", ec2.tagsOf(one).get(HostTags.STATE));
  }

  @Test
  void unmanagedInstancesAreNotHosts() {
    String other = ec2.add("t3.micro", "subnet-1", "running", Map.of("Name", "someone's"));
    assertTrue(fleet.instance(other).isEmpty());
    assertEquals(List.of(), fleet.all());
  }
}

package io.studiocp.hosts;

import static io.studiocp.hosts.ApplyInstanceStateChange.Outcome.IGNORED;
import static io.studiocp.hosts.ApplyInstanceStateChange.Outcome.NOTED;
import static io.studiocp.hosts.ApplyInstanceStateChange.Outcome.ORPHAN_TERMINATED;
import static io.studiocp.hosts.ApplyInstanceStateChange.Outcome.PROVISIONING_FAILED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.hosts.provisioning.LaunchSpec;
import io.studiocp.studio.StudioUser;
import io.studiocp.testkit.fakes.InMemoryFleet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EC2's state changes applied to hosts in memory. */
class ApplyInstanceStateChangeTest {

  private static final StudioUser ALICE = new StudioUser("d-abc", "alice");

  private final InMemoryFleet hosts = new InMemoryFleet(Instant.parse("2026-03-01T10:00:00Z"));
  private final ApplyInstanceStateChange apply = new ApplyInstanceStateChange(hosts.fleet, hosts.workflow, hosts.ec2,
      hosts.network, hosts.slots);

  private HostId started(String key) {
    HostId id = HostId.derive(ALICE, key);
    hosts.workflow.start(new ProvisioningInput(id, ALICE, new HostRequest("m5.large", null, 100, 12, List.of())));
    return id;
  }

  /** An instance launched for the host whose Launch task waits for the host's callback. */
  private String launched(HostId id, String token) {
    Map<String, String> tags = hosts.fleet.launchTags(new HostFleet.NewHost(id, ALICE, "2026-03-01T22:00:00Z", "arn",
        1111, "/home/u", List.of(), "attempt"));
    String instance = hosts.ec2.launch(new LaunchSpec("ami-1", "m5.large", "subnet-1", List.of("sg-1"), "/dev/xvda",
        100, "#!/bin/bash\nSDOCKER_TASK_TOKEN='" + token + "'\n", id + "-" + token, tags));
    hosts.workflow.awaitCallback(id, token);
    return instance;
  }

  @Test
  void anInstanceThatStopsWhileProvisioningFailsItsExecution() {
    HostId id = started("stops");
    String instance = launched(id, "AQtoken");
    hosts.ec2.setState(instance, "stopped");

    assertEquals(PROVISIONING_FAILED, apply.apply(instance, "stopped"));

    WorkflowRun run = hosts.workflow.find(id).orElseThrow();
    assertEquals(WorkflowRun.Status.FAILED, run.status());
    assertEquals("HostLost", run.error());
    assertTrue(run.cause().contains("went stopped before the host was ready"), run.cause());
    assertEquals(0, hosts.ec2.count("TerminateInstances"), "Compensate, behind the failed task, ends it");
  }

  @Test
  void whenNobodyWaitsAnyMoreTheInstanceIsFailedAndEndedHere() {
    HostId id = started("late");
    String instance = launched(id, "AQtoken");
    hosts.workflow.end(id, WorkflowRun.Status.TIMED_OUT, "States.Timeout", "");
    hosts.ec2.setState(instance, "stopped");

    assertEquals(PROVISIONING_FAILED, apply.apply(instance, "stopped"));

    assertEquals("FAILED", hosts.ec2.tagsOf(instance).get(HostTags.STATE));
    assertTrue(hosts.ec2.tagsOf(instance).get(HostTags.FAILURE_REASON).contains("went stopped"));
    assertEquals("terminated", hosts.ec2.stateOf(instance));
  }

  @Test
  void aRunningInstanceWhoseExecutionEndedDoesNotLiveOn() {
    HostId id = started("orphan");
    String instance = launched(id, "AQtoken");
    hosts.workflow.end(id, WorkflowRun.Status.ABORTED, "Cancelled", "");

    assertEquals(ORPHAN_TERMINATED, apply.apply(instance, "running"));

    assertEquals("TERMINATING", hosts.ec2.tagsOf(instance).get(HostTags.STATE));
    assertEquals("terminated", hosts.ec2.stateOf(instance));
  }

  @Test
  void aReadyHostThatStopsIsStoppedAndReadyAgainWhenItRuns() {
    HostId id = started("cycle");
    String instance = hosts.instance(id, ALICE, "stopped", HostState.READY);

    assertEquals(NOTED, apply.apply(instance, "stopped"));
    assertEquals("STOPPED", hosts.ec2.tagsOf(instance).get(HostTags.STATE));

    hosts.ec2.setState(instance, "running");
    assertEquals(NOTED, apply.apply(instance, "running"));
    assertEquals("READY", hosts.ec2.tagsOf(instance).get(HostTags.STATE));
  }

  @Test
  void aTerminatedHostTakesItsOwnGroupButAReplacedAttemptDoesNot() {
    HostId id = started("ports");
    hosts.network.ensureExtraPortsGroup("vpc-1", id, List.of("sg-studio"), List.of(8888));
    String first = hosts.instance(id, ALICE, "terminated", HostState.FAILED);
    String second = hosts.instance(id, ALICE, "running", HostState.PROVISIONING);

    apply.apply(first, "terminated");
    assertTrue(hosts.network.extraPortsGroup(id).isPresent(), "the new attempt still needs it");

    hosts.workflow.end(id, WorkflowRun.Status.FAILED, "HostTimedOut", "");
    hosts.ec2.setState(second, "terminated");
    apply.apply(second, "terminated");
    assertTrue(hosts.network.extraPortsGroup(id).isEmpty());
  }

  @Test
  void instancesTheControlPlaneDoesNotManageAreIgnored() {
    String other = hosts.ec2.add("t3.micro", "subnet-1", "stopped", Map.of("Name", "someone's"));

    assertEquals(IGNORED, apply.apply(other, "stopped"));
    assertEquals(IGNORED, apply.apply("i-0123456789abcdef0", "stopped"));
    assertEquals(List.of(), hosts.ec2.calls());
  }
}

package io.studiocp.hosts.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostState;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.hosts.provisioning.CompensateInput.CaughtError;
import io.studiocp.hosts.provisioning.LaunchSpec;
import io.studiocp.hosts.provisioning.ProvisioningException;
import io.studiocp.hosts.provisioning.ReadyReport;
import io.studiocp.studio.StudioUser;
import io.studiocp.testkit.fakes.InMemoryFleet;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The StartHost workflow's steps over the fleet, without AWS. */
class StartStepsTest {

  private static final HostId ID = new HostId("h-00000000000000aa");
  private static final StudioUser ALICE = new StudioUser("d-abc123", "alice");

  private final InMemoryFleet hosts = new InMemoryFleet(Instant.parse("2026-03-01T12:00:00Z"));
  private final StartSteps steps = new StartSteps(hosts.fleet, hosts.clock);

  /** A host that reported ready once, stopped, and was marked STARTING by the API. */
  private String stoppedHost(HostState state) {
    Map<String, String> tags = new HashMap<>(hosts.fleet.launchTags(new HostFleet.NewHost(ID, ALICE,
        "2026-03-02T00:00:00Z", "arn", 1111, "/home/sagemaker-user/.sdocker/hosts/" + ID.value(), List.of(),
        "attempt-1")));
    tags.put(HostTags.STATE, state.name());
    tags.put(HostTags.DOCKER_HOST, "ip-10-0-0-1.ec2.internal");
    String id = hosts.ec2.launch(new LaunchSpec("ami-1", "m5.large", "subnet-1", List.of("sg-1"), "/dev/xvda", 100,
        "#!/bin/bash\nSDOCKER_TASK_TOKEN='first-token'\necho boot\n", "attempt-1", tags));
    hosts.ec2.setState(id, "stopped");
    return id;
  }

  @Test
  void beginGivesTheBootScriptTheStartsTokenAndStartsTheInstance() {
    String instance = stoppedHost(HostState.STARTING);
    steps.begin(new StartSteps.BeginInput(ID.value(), instance, "start-token"));
    assertEquals("pending", hosts.ec2.stateOf(instance));
    String script = hosts.ec2.bootScript(instance).orElseThrow();
    assertEquals("start-token", BootstrapUserData.taskToken(script).orElseThrow());
    assertTrue(script.contains("echo boot"), "the rest of the script is unchanged");
    steps.begin(new StartSteps.BeginInput(ID.value(), instance, "start-token"));
    assertEquals(1, hosts.ec2.count("StartInstances"), "a retried Begin starts nothing twice");
  }

  @Test
  void beginRefusesAHostTheApiDidNotMarkStarting() {
    String instance = stoppedHost(HostState.STOPPED);
    assertThrows(ProvisioningException.class,
        () -> steps.begin(new StartSteps.BeginInput(ID.value(), instance, "start-token")));
    assertEquals("stopped", hosts.ec2.stateOf(instance));
  }

  @Test
  void finishMarksTheHostReadyAtTheAddressEc2Gives() {
    String instance = stoppedHost(HostState.STARTING);
    hosts.ec2.setState(instance, "running");
    HostInstance described = hosts.fleet.instance(instance).orElseThrow();
    assertThrows(ProvisioningException.class, () -> steps.finish(new StartSteps.FinishInput(ID.value(), instance,
        new ReadyReport(ID.value(), "i-someoneelse", described.privateIpAddress(), 1111))));
    assertThrows(ProvisioningException.class, () -> steps.finish(new StartSteps.FinishInput(ID.value(), instance,
        new ReadyReport(ID.value(), instance, "attacker.example", 1111))), "a forged address");
    assertThrows(ProvisioningException.class, () -> steps.finish(new StartSteps.FinishInput(ID.value(), instance,
        new ReadyReport(ID.value(), instance, described.privateIpAddress(), 2375))), "a forged port");
    assertEquals("STARTING", hosts.ec2.tagsOf(instance).get(HostTags.STATE), "nothing marked by a forgery");

    steps.finish(new StartSteps.FinishInput(ID.value(), instance,
        new ReadyReport(ID.value(), instance, described.privateDnsName(), 1111)));
    Map<String, String> tags = hosts.ec2.tagsOf(instance);
    assertEquals("READY", tags.get(HostTags.STATE));
    assertEquals(described.privateIpAddress(), tags.get(HostTags.DOCKER_HOST), "EC2's address");
    assertEquals("1111", tags.get(HostTags.DOCKER_PORT));
  }

  @Test
  void abandonStopsTheHostWithTheReason() {
    String instance = stoppedHost(HostState.STARTING);
    hosts.ec2.setState(instance, "running");
    StartSteps.Outcome outcome = steps.abandon(new StartSteps.AbandonInput(ID.value(), instance,
        new CaughtError("States.Timeout", "no callback within 900 s")));
    assertEquals("stopped", hosts.ec2.stateOf(instance));
    assertEquals("STOPPED", hosts.ec2.tagsOf(instance).get(HostTags.STATE));
    assertTrue(hosts.ec2.tagsOf(instance).get(HostTags.STOP_REASON).contains("no callback within 900 s"));
    assertEquals("StartFailed", outcome.error());
  }
}

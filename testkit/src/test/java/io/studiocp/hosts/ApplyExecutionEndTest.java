package io.studiocp.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.hosts.ApplyExecutionEnd.ExecutionEnd;
import io.studiocp.hosts.ApplyExecutionEnd.Outcome;
import io.studiocp.studio.StudioUser;
import io.studiocp.testkit.fakes.InMemoryFleet;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A host workflow that ended outside its own steps leaves nothing running and nothing half-way. */
class ApplyExecutionEndTest {

  private static final String PROVISION = "arn:aws:states:us-east-1:123456789012:stateMachine:ProvisionHost";
  private static final String START = "arn:aws:states:us-east-1:123456789012:stateMachine:StartHost";
  private static final HostId ID = new HostId("h-00000000000000bb");
  private static final StudioUser ALICE = new StudioUser("d-abc123", "alice");

  private final InMemoryFleet hosts = new InMemoryFleet(Instant.parse("2026-03-01T12:00:00Z"));
  private final ApplyExecutionEnd rule = new ApplyExecutionEnd(hosts.fleet, hosts.slots, PROVISION, START,
      hosts.clock);

  private String host(HostState state, String ec2State) {
    Map<String, String> tags = new HashMap<>(hosts.fleet.launchTags(new HostFleet.NewHost(ID, ALICE,
        "2026-03-02T00:00:00Z", PROVISION + ":" + ID.value(), 1111, "/home/sagemaker-user/.sdocker/hosts/" + ID.value(),
        List.of(), "attempt-1")));
    tags.put(HostTags.STATE, state.name());
    return hosts.ec2.add("m5.large", "subnet-1", ec2State, tags);
  }

  private static ExecutionEnd ended(String machine, String status, String cause) {
    String execution = machine.replace(":stateMachine:", ":execution:") + ":" + ID.value();
    return new ExecutionEnd(machine, execution, status, "{\"hostId\":\"" + ID.value() + "\",\"owner\":{}}", null, cause);
  }

  @Test
  void aProvisioningStoppedFromTheConsoleTerminatesItsInstanceWithTheReason() {
    String instance = host(HostState.PROVISIONING, "running");
    assertEquals(Outcome.TERMINATED, rule.apply(ended(PROVISION, "ABORTED", null)));
    assertEquals("terminated", hosts.ec2.stateOf(instance));
    assertEquals("FAILED", hosts.ec2.tagsOf(instance).get(HostTags.STATE));
    String reason = hosts.ec2.tagsOf(instance).get(HostTags.FAILURE_REASON);
    assertTrue(reason.contains("stopped outside the API") && reason.contains(ID.value()), reason);

    hosts.ec2.forgetCalls();
    assertEquals(Outcome.NOTHING_LEFT, rule.apply(ended(PROVISION, "ABORTED", null)), "a replayed event");
    assertEquals(0, hosts.ec2.calls().size(), "changes nothing the second time");
  }

  @Test
  void aProvisioningEndedBeforeItsLaunchGivesItsSlotBack() {
    hosts.slots.claim(ALICE, ID, "vpc-1", 2, hosts.clock.instant());
    assertEquals(Outcome.NOTHING_LEFT, rule.apply(ended(PROVISION, "ABORTED", null)));
    assertEquals(0, hosts.slots.held(), "no instance will ever report its end: the slot goes now");
  }

  @Test
  void aTimeoutAndAFailureSayWhy() {
    String instance = host(HostState.PROVISIONING, "pending");
    assertEquals(Outcome.TERMINATED, rule.apply(ended(PROVISION, "TIMED_OUT", "no heartbeat in 120 s")));
    String reason = hosts.ec2.tagsOf(instance).get(HostTags.FAILURE_REASON);
    assertTrue(reason.contains("timed out: no heartbeat in 120 s"), reason);
  }

  @Test
  void aHostThatBecameReadyOrIsOnItsWayOutIsLeftAlone() {
    String ready = host(HostState.READY, "running");
    assertEquals(Outcome.NOTHING_LEFT, rule.apply(ended(PROVISION, "FAILED", "late")));
    assertEquals("running", hosts.ec2.stateOf(ready));
    assertEquals("READY", hosts.ec2.tagsOf(ready).get(HostTags.STATE));
  }

  @Test
  void anAbortedStartStopsTheHostAgainWithTheReason() {
    String instance = host(HostState.STARTING, "running");
    assertEquals(Outcome.STOPPED, rule.apply(ended(START, "ABORTED", null)));
    assertEquals("stopped", hosts.ec2.stateOf(instance));
    assertEquals("STOPPED", hosts.ec2.tagsOf(instance).get(HostTags.STATE));
    assertTrue(hosts.ec2.tagsOf(instance).get(HostTags.STOP_REASON).contains("the start was stopped outside the API"));
    assertEquals("2026-03-01T12:00:00Z", hosts.ec2.tagsOf(instance).get(HostTags.STOPPED_AT));
  }

  @Test
  void successOtherMachinesAndInputsWithoutAHostAreIgnored() {
    String instance = host(HostState.PROVISIONING, "running");
    assertEquals(Outcome.IGNORED, rule.apply(ended(PROVISION, "SUCCEEDED", null)));
    assertEquals(Outcome.IGNORED, rule.apply(ended(PROVISION, "RUNNING", null)));
    assertEquals(Outcome.IGNORED, rule.apply(ended("arn:aws:states:us-east-1:123456789012:stateMachine:Other", "ABORTED",
        null)));
    assertEquals(Outcome.IGNORED, rule.apply(new ExecutionEnd(PROVISION, "arn", "ABORTED", "not json", null, null)));
    assertEquals(Outcome.IGNORED, rule.apply(new ExecutionEnd(PROVISION, "arn", "ABORTED", "{\"hostId\":\"i-1\"}", null,
        null)));
    assertEquals("running", hosts.ec2.stateOf(instance));
    assertEquals(0, hosts.ec2.calls().size());
  }
}

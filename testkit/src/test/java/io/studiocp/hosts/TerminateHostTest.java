package io.studiocp.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.studiocp.identity.Actor;
import io.studiocp.identity.CallerPrincipal;
import io.studiocp.platform.Rejection;
import io.studiocp.studio.StudioUser;
import io.studiocp.testkit.fakes.InMemoryFleet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code DELETE /hosts/{id}} over hosts in memory: every state ends, nothing twice, nobody else's. */
class TerminateHostTest {

  private static final StudioUser ALICE = new StudioUser("d-abc", "alice");
  private static final StudioUser BOB = new StudioUser("d-abc", "bob");

  private final InMemoryFleet hosts = new InMemoryFleet(Instant.parse("2026-03-01T10:00:00Z"));
  private final HostQueries queries = new HostQueries(new HostDirectory(hosts.fleet, hosts.workflow,
      new StudioPaths("/home/sagemaker-user", 100), 1111));
  private final TerminateHost terminate = new TerminateHost(queries, hosts.fleet, hosts.workflow);

  private static Actor as(StudioUser user) {
    return new Actor(CallerPrincipal.parse("arn:aws:sts::123456789012:assumed-role/studio-" + user.userProfileName()
        + "/SageMaker").orElseThrow(), Optional.of(user), false);
  }

  private HostId provisioning(String key) {
    HostId id = HostId.derive(ALICE, key);
    hosts.workflow.start(new ProvisioningInput(id, ALICE, new HostRequest("m5.large", null, 100, 12, List.of())));
    return id;
  }

  @Test
  void aReadyHostIsMarkedTerminatingAndTerminated() {
    HostId id = provisioning("ready");
    hosts.workflow.end(id, WorkflowRun.Status.SUCCEEDED, null, null);
    String instance = hosts.instance(id, ALICE, "running", HostState.READY);

    Host host = terminate.terminate(as(ALICE), id.value());

    assertEquals(HostState.TERMINATING, host.state());
    assertEquals("terminated", hosts.ec2.stateOf(instance));
    assertEquals("TERMINATING", hosts.ec2.tagsOf(instance).get(HostTags.STATE));
  }

  @Test
  void aHostStillInProvisioningHasItsExecutionCancelledFirst() {
    HostId id = provisioning("booting");
    String instance = hosts.instance(id, ALICE, "pending", HostState.PROVISIONING);

    assertEquals(HostState.TERMINATING, terminate.terminate(as(ALICE), id.value()).state());

    assertEquals(List.of(id.value()), hosts.workflow.cancelled());
    assertEquals("terminated", hosts.ec2.stateOf(instance));
  }

  @Test
  void aHostThatHasNoInstanceYetEndsWithItsExecution() {
    HostId id = provisioning("preparing");

    assertEquals(HostState.TERMINATED, terminate.terminate(as(ALICE), id.value()).state());

    assertEquals(WorkflowRun.Status.ABORTED, hosts.workflow.find(id).orElseThrow().status());
    assertEquals(0, hosts.ec2.calls().size(), "nothing to terminate");
  }

  @Test
  void aFailedHostStaysFailedWithItsReason() {
    HostId id = provisioning("broken");
    hosts.workflow.end(id, WorkflowRun.Status.FAILED, "HostBootstrapFailed", "step 'dockerd' failed");
    String instance = hosts.instance(id, ALICE, "running", HostState.FAILED);

    Host host = terminate.terminate(as(ALICE), id.value());

    assertEquals(HostState.FAILED, host.state());
    assertEquals("step 'dockerd' failed", host.failureReason());
    assertEquals("FAILED", hosts.ec2.tagsOf(instance).get(HostTags.STATE));
    assertEquals("terminated", hosts.ec2.stateOf(instance));
  }

  @Test
  void terminatingTwiceChangesNothingMore() {
    HostId id = provisioning("twice");
    hosts.workflow.end(id, WorkflowRun.Status.SUCCEEDED, null, null);
    hosts.instance(id, ALICE, "running", HostState.READY);
    terminate.terminate(as(ALICE), id.value());
    hosts.ec2.forgetCalls();

    assertEquals(HostState.TERMINATED, terminate.terminate(as(ALICE), id.value()).state());
    assertEquals(List.of(), hosts.ec2.calls());
  }

  @Test
  void anotherUsersHostIsNotFoundAndLivesOn() {
    HostId id = provisioning("mine");
    String instance = hosts.instance(id, ALICE, "running", HostState.READY);

    Rejection e = assertThrows(Rejection.class, () -> terminate.terminate(as(BOB), id.value()));

    assertEquals(Rejection.Kind.NOT_FOUND, e.kind());
    assertEquals("running", hosts.ec2.stateOf(instance));
    assertEquals(List.of(), hosts.workflow.cancelled());
  }

  @Test
  void aMalformedIdIsInvalid() {
    Rejection e = assertThrows(Rejection.class, () -> terminate.terminate(as(ALICE), "i-0123"));
    assertEquals(Rejection.Kind.INVALID, e.kind());
    assertEquals("hostId: 'i-0123' is not a host id (h- and 16 hex digits)", e.getMessage());
  }
}

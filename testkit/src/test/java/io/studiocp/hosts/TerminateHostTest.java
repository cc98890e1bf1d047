package io.studiocp.hosts;

import static io.studiocp.testkit.Actors.studioUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.studiocp.platform.Rejection;
import io.studiocp.studio.StudioUser;
import io.studiocp.testkit.fakes.InMemoryFleet;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code DELETE /hosts/{id}} over hosts in memory: every state ends, nothing twice, nobody else's. */
class TerminateHostTest {

  private static final StudioUser ALICE = new StudioUser("d-abc", "alice");
  private static final StudioUser BOB = new StudioUser("d-abc", "bob");

  private final InMemoryFleet hosts = new InMemoryFleet(Instant.parse("2026-03-01T10:00:00Z"));
  private final HostQueries queries = new HostQueries(new HostDirectory(hosts.fleet, hosts.workflow,
      new StudioPaths("/home/sagemaker-user", 100), 1111));
  private final TerminateHost terminate = new TerminateHost(queries, hosts.fleet, hosts.workflow);


  @Test
  void aReadyHostIsMarkedTerminatingAndTerminated() {
    HostId id = hosts.provisioning(ALICE, "ready");
    hosts.workflow.end(id, WorkflowRun.Status.SUCCEEDED, null, null);
    String instance = hosts.instance(id, ALICE, "running", HostState.READY);

    Host host = terminate.terminate(studioUser(ALICE), id.value());

    assertEquals(HostState.TERMINATING, host.state());
    assertEquals("terminated", hosts.ec2.stateOf(instance));
    assertEquals("TERMINATING", hosts.ec2.tagsOf(instance).get(HostTags.STATE));
  }

  @Test
  void aHostStillInProvisioningHasItsExecutionCancelledFirst() {
    HostId id = hosts.provisioning(ALICE, "booting");
    String instance = hosts.instance(id, ALICE, "pending", HostState.PROVISIONING);

    assertEquals(HostState.TERMINATING, terminate.terminate(studioUser(ALICE), id.value()).state());

    assertEquals(List.of(id.value()), hosts.workflow.cancelled());
    assertEquals("terminated", hosts.ec2.stateOf(instance));
  }

  @Test
  void aHostThatHasNoInstanceYetEndsWithItsExecution() {
    HostId id = hosts.provisioning(ALICE, "preparing");

    assertEquals(HostState.TERMINATED, terminate.terminate(studioUser(ALICE), id.value()).state());

    assertEquals(WorkflowRun.Status.ABORTED, hosts.workflow.find(id).orElseThrow().status());
    assertEquals(0, hosts.ec2.calls().size(), "nothing to terminate");
  }

  @Test
  void aFailedHostStaysFailedWithItsReason() {
    HostId id = hosts.provisioning(ALICE, "broken");
    hosts.workflow.end(id, WorkflowRun.Status.FAILED, "HostBootstrapFailed", "step 'dockerd' failed");
    String instance = hosts.instance(id, ALICE, "running", HostState.FAILED);

    Host host = terminate.terminate(studioUser(ALICE), id.value());

    assertEquals(HostState.FAILED, host.state());
    assertEquals("step 'dockerd' failed", host.failureReason());
    assertEquals("FAILED", hosts.ec2.tagsOf(instance).get(HostTags.STATE));
    assertEquals("terminated", hosts.ec2.stateOf(instance));
  }

  @Test
  void terminatingTwiceChangesNothingMore() {
    HostId id = hosts.provisioning(ALICE, "twice");
    hosts.workflow.end(id, WorkflowRun.Status.SUCCEEDED, null, null);
    hosts.instance(id, ALICE, "running", HostState.READY);
    terminate.terminate(studioUser(ALICE), id.value());
    hosts.ec2.forgetCalls();

    assertEquals(HostState.TERMINATED, terminate.terminate(studioUser(ALICE), id.value()).state());
    assertEquals(List.of(), hosts.ec2.calls());
  }

  @Test
  void anotherUsersHostIsNotFoundAndLivesOn() {
    HostId id = hosts.provisioning(ALICE, "mine");
    String instance = hosts.instance(id, ALICE, "running", HostState.READY);

    Rejection e = assertThrows(Rejection.class, () -> terminate.terminate(studioUser(BOB), id.value()));

    assertEquals(Rejection.Kind.NOT_FOUND, e.kind());
    assertEquals("running", hosts.ec2.stateOf(instance));
    assertEquals(List.of(), hosts.workflow.cancelled());
  }

  @Test
  void aMalformedIdIsInvalid() {
    Rejection e = assertThrows(Rejection.class, () -> terminate.terminate(studioUser(ALICE), "i-0123"));
    assertEquals(Rejection.Kind.INVALID, e.kind());
    assertEquals("hostId: 'i-0123' is not a host id (h- and 16 hex digits)", e.getMessage());
  }
}

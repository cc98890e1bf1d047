package io.studiocp.hosts;

import static io.studiocp.testkit.Actors.studioUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.platform.Rejection;
import io.studiocp.studio.StudioUser;
import io.studiocp.testkit.fakes.InMemoryFleet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /hosts/{hostId}?waitSeconds=N} over hosts in memory: the clock moves only when the
 * wait pauses, and the host changes when the test says, after a given pause; nothing here takes
 * real time.
 */
class WaitForHostTest {

  private static final StudioUser ALICE = new StudioUser("d-abc", "alice");
  private static final StudioUser BOB = new StudioUser("d-abc", "bob");

  private final InMemoryFleet hosts = new InMemoryFleet(Instant.parse("2026-03-01T10:00:00Z"));
  private final HostQueries queries = new HostQueries(new HostDirectory(hosts.fleet, hosts.workflow,
      new StudioPaths("/home/sagemaker-user", 100), 1111));
  private final List<Duration> pauses = new ArrayList<>();
  private final List<Runnable> afterPause = new ArrayList<>();
  private final WaitForHost wait = new WaitForHost(queries, hosts.clock, pause -> {
    pauses.add(pause);
    hosts.clock.advance(pause);
    if (afterPause.size() >= pauses.size()) {
      afterPause.get(pauses.size() - 1).run();
    }
  });


  /** Runs {@code change} right after the {@code n}th pause (1-based); nothing happens after the others. */
  private void after(int n, Runnable change) {
    while (afterPause.size() < n) {
      afterPause.add(() -> { });
    }
    afterPause.set(n - 1, change);
  }

  @Test
  void aHostThatTurnsReadyIsAnsweredAtTheReadingAfterTheChange() {
    HostId id = hosts.provisioning(ALICE, "claimed");
    after(3, () -> hosts.instance(id, ALICE, "running", HostState.READY));

    Host host = wait.describe(studioUser(ALICE), id.value(), Duration.ofSeconds(10));

    assertEquals(HostState.READY, host.state());
    assertEquals("ip-10-0-0-1.ec2.internal", host.dockerHost());
    assertEquals(List.of(WaitForHost.FAST_BEAT, WaitForHost.FAST_BEAT, WaitForHost.FAST_BEAT), pauses,
        "a reading every 100 ms, and none after the one that saw READY");
  }

  @Test
  void aStartingHostIsWaitedForToo() {
    HostId id = hosts.provisioning(ALICE, "restarted");
    hosts.workflow.end(id, WorkflowRun.Status.SUCCEEDED, null, null);
    String instance = hosts.instance(id, ALICE, "pending", HostState.STARTING);
    after(1, () -> hosts.ec2.tag(List.of(instance), Map.of(HostTags.STATE, HostState.READY.name())));

    assertEquals(HostState.READY, wait.describe(studioUser(ALICE), id.value(), Duration.ofSeconds(5)).state());
    assertEquals(1, pauses.size());
  }

  @Test
  void aHostThatFailsEndsTheWaitWithItsReason() {
    HostId id = hosts.provisioning(ALICE, "broken");
    after(2, () -> hosts.workflow.end(id, WorkflowRun.Status.FAILED, "HostBootstrapFailed", "step 'dockerd' failed"));

    Host host = wait.describe(studioUser(ALICE), id.value(), Duration.ofSeconds(5));

    assertEquals(HostState.FAILED, host.state());
    assertEquals("step 'dockerd' failed", host.failureReason());
    assertEquals(2, pauses.size());
  }

  @Test
  void aHostThatStaysProvisioningIsAnsweredAsItIsWhenTheWaitEnds() {
    HostId id = hosts.provisioning(ALICE, "slow");

    Host host = wait.describe(studioUser(ALICE), id.value(), Duration.ofSeconds(3));

    assertEquals(HostState.PROVISIONING, host.state());
    assertEquals(Duration.ofSeconds(3), pauses.stream().reduce(Duration.ZERO, Duration::plus),
        "the wait lasts what was asked, its last reading at its end");
    assertEquals(20, pauses.stream().filter(WaitForHost.FAST_BEAT::equals).count(), "100 ms beats for 2 s");
    assertEquals(4, pauses.stream().filter(WaitForHost.SLOW_BEAT::equals).count(), "then 250 ms beats");
    assertEquals(Instant.parse("2026-03-01T10:00:03Z"), hosts.clock.instant());
  }

  @Test
  void theLastBeatIsCutToTheEndOfTheWait() {
    HostId id = hosts.provisioning(ALICE, "odd");
    // A reading that starts late (a loaded machine) moves the beat; the wait still ends on time.
    WaitForHost late = new WaitForHost(queries, hosts.clock, pause -> {
      pauses.add(pause);
      hosts.clock.advance(pause.plusMillis(30));
    });

    late.describe(studioUser(ALICE), id.value(), Duration.ofSeconds(1));

    assertTrue(pauses.stream().allMatch(p -> p.isPositive() && p.compareTo(WaitForHost.FAST_BEAT) <= 0),
        pauses::toString);
    Instant now = hosts.clock.instant();
    assertTrue(now.isBefore(Instant.parse("2026-03-01T10:00:01.031Z")), now::toString);
    assertTrue(now.isAfter(Instant.parse("2026-03-01T10:00:00.999Z")), now::toString);
  }

  @Test
  void aHostThatIsReadyOrStoppedIsAnsweredAtOnce() {
    HostId ready = hosts.provisioning(ALICE, "ready");
    hosts.workflow.end(ready, WorkflowRun.Status.SUCCEEDED, null, null);
    hosts.instance(ready, ALICE, "running", HostState.READY);
    HostId stopped = hosts.provisioning(ALICE, "stopped");
    hosts.workflow.end(stopped, WorkflowRun.Status.SUCCEEDED, null, null);
    hosts.instance(stopped, ALICE, "stopped", HostState.STOPPED);

    assertEquals(HostState.READY, wait.describe(studioUser(ALICE), ready.value(), Duration.ofSeconds(20)).state());
    assertEquals(HostState.STOPPED, wait.describe(studioUser(ALICE), stopped.value(), Duration.ofSeconds(20)).state());
    assertEquals(List.of(), pauses);
  }

  @Test
  void anotherUsersHostIsNotFoundWithoutWaiting() {
    HostId id = hosts.provisioning(ALICE, "alices");

    Rejection refused = assertThrows(Rejection.class,
        () -> wait.describe(studioUser(BOB), id.value(), Duration.ofSeconds(20)));

    assertEquals(Rejection.Kind.NOT_FOUND, refused.kind());
    assertEquals(List.of(), pauses);
  }

  @Test
  void anInterruptedWaitAnswersTheLastReading() {
    HostId id = hosts.provisioning(ALICE, "interrupted");
    WaitForHost interrupted = new WaitForHost(queries, hosts.clock, pause -> {
      throw new InterruptedException();
    });

    assertEquals(HostState.PROVISIONING,
        interrupted.describe(studioUser(ALICE), id.value(), Duration.ofSeconds(20)).state());
    assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "10", "20", "05"})
  void aWaitIsAWholeNumberOfSecondsFromOneToTwenty(String seconds) {
    assertEquals(Optional.of(Duration.ofSeconds(Integer.parseInt(seconds))), WaitForHost.parse(seconds));
  }

  @Test
  void noParameterIsNoWait() {
    assertEquals(Optional.empty(), WaitForHost.parse(null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "21", "99", "100", "-1", "+5", " 5", "1.5", "1e1", "ten", "", "020", "٥"})
  void anyOtherWaitIsRefusedNamingTheParameterAndTheRange(String seconds) {
    Rejection refused = assertThrows(Rejection.class, () -> WaitForHost.parse(seconds));

    assertEquals(Rejection.Kind.INVALID, refused.kind());
    assertEquals("waitSeconds: must be a whole number of seconds from 1 to 20, got '" + seconds + "'",
        refused.getMessage());
  }
}

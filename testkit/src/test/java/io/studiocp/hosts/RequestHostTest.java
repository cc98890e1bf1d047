package io.studiocp.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.identity.Actor;
import io.studiocp.identity.CallerPrincipal;
import io.studiocp.platform.Env;
import io.studiocp.platform.Rejection;
import io.studiocp.studio.StudioDomain;
import io.studiocp.studio.StudioUser;
import io.studiocp.testkit.fakes.InMemoryCatalog;
import io.studiocp.testkit.fakes.InMemoryHostSlots;
import io.studiocp.testkit.fakes.InMemoryFleet;
import io.studiocp.testkit.fakes.InMemoryStudioDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code POST /hosts} over hosts in memory: the limit, idempotency, and what the region offers. */
class RequestHostTest {

  private static final StudioUser ALICE = new StudioUser("d-abc", "alice");
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  private final InMemoryFleet hosts = new InMemoryFleet(NOW);
  private final HostPolicy policy = HostPolicy.from(Env.of(Map.of("MAX_HOSTS_PER_USER", "2",
      "ALLOWED_INSTANCE_TYPES", "m5.*,g5g.*,inf2.*")));
  private final StudioPaths paths = new StudioPaths("/home/sagemaker-user", 100);
  private final HostDirectory directory = new HostDirectory(hosts.fleet, hosts.workflow, paths, policy.dockerPort());
  private final InMemoryCatalog catalog = new InMemoryCatalog()
      .type(new InstanceTypeInfo("m5.large", "x86_64", false, false), "us-east-1a")
      .type(new InstanceTypeInfo("g5g.xlarge", "arm64", true, false), "us-east-1a")
      .type(new InstanceTypeInfo("inf2.xlarge", "x86_64", false, true), "us-east-1a")
      .subnet("subnet-0aaa1111", "us-east-1a")
      .subnet("subnet-0bbb2222", "us-east-1b");
  private final InMemoryHostSlots slots = new InMemoryHostSlots();
  private final RequestHost requestHost = new RequestHost(policy, new InMemoryStudioDirectory().add(new StudioDomain(
      "d-abc", "vpc-1", List.of("subnet-0aaa1111", "subnet-0bbb2222"), "fs-1", List.of("sg-studio"), null)),
      catalog, catalog, directory, hosts.workflow, slots, paths, hosts.clock);

  private static Actor alice() {
    return new Actor(CallerPrincipal.parse("arn:aws:sts::123456789012:assumed-role/studio-alice/SageMaker")
        .orElseThrow(), Optional.of(ALICE), false);
  }

  private Host request(String key) {
    return requestHost.request(alice(), HostRequest.Draft.of("m5.large"), key);
  }

  private Rejection refused(HostRequest.Draft draft, String key) {
    Rejection e = assertThrows(Rejection.class, () -> requestHost.request(alice(), draft, key));
    assertEquals(List.of(), hosts.workflow.running(), "nothing started");
    return e;
  }

  @Test
  void startsProvisioningAndAnswersWithTheHostToBe() {
    Host host = request("one");

    assertEquals(HostState.PROVISIONING, host.state());
    assertEquals(HostId.derive(ALICE, "one"), host.id());
    assertEquals(NOW.plus(Duration.ofHours(12)), host.expiresAt());
    assertEquals("/home/sagemaker-user/.sdocker/hosts/" + host.id(), host.certDirectory());
    assertEquals(List.of(host.id()), hosts.workflow.running());
    assertEquals(new HostRequest("m5.large", null, 100, 12, List.of()),
        hosts.workflow.find(host.id()).orElseThrow().input().request());
  }

  @Test
  void aRetriedRequestGetsTheSameHostAndNoSecondExecution() {
    Host first = request("same");
    hosts.clock.advance(Duration.ofMinutes(1));

    assertEquals(first.id(), request("same").id());
    assertEquals(1, hosts.workflow.running().size());
  }

  @Test
  void theSameKeyForAnotherRequestIsAConflict() {
    request("same");
    Rejection e = assertThrows(Rejection.class, () -> requestHost.request(alice(),
        new HostRequest.Draft(Optional.of("m5.large"), Optional.empty(), Optional.of(200), Optional.empty(), List.of()),
        "same"));
    assertEquals(Rejection.Kind.CONFLICT, e.kind());
    assertEquals("IdempotencyKeyReused", e.code());
  }

  @Test
  void theLimitCountsProvisioningReadyAndStoppedHostsButNotEndedOnes() {
    HostId ready = HostId.derive(ALICE, "ready");
    hosts.instance(ready, ALICE, "running", HostState.READY);
    hosts.instance(HostId.derive(ALICE, "failed"), ALICE, "terminated", HostState.FAILED);
    hosts.instance(HostId.derive(ALICE, "gone"), ALICE, "terminated", HostState.TERMINATING);
    Host provisioning = request("booting");

    Rejection e = refusedAfter(() -> request("third"));

    assertEquals(Rejection.Kind.CONFLICT, e.kind());
    assertEquals("HostLimitExceeded", e.code());
    assertTrue(e.getMessage().contains(ready.value()) && e.getMessage().contains(provisioning.id().value()),
        e.getMessage());
    assertTrue(e.getMessage().contains("MaxHostsPerUser"), "says who can raise it");

    hosts.ec2.setState(hosts.fleet.instancesOf(ready).getFirst().instanceId(), "stopped");
    assertEquals(Rejection.Kind.CONFLICT, refusedAfter(() -> request("fourth")).kind(), "a stopped host counts");
  }

  @Test
  void eachHostHoldsOneSlotAndSlotsLeftBehindAreTakenBackOnlyWhenOld() {
    request("first");
    assertEquals(1, slots.held());
    // Two slots held by hosts nobody sees (a request that failed before its launch, a missed release):
    slots.release(HostId.derive(ALICE, "first"));
    slots.claim(ALICE, HostId.derive(ALICE, "lost-1"), "vpc-1", 2, hosts.clock.instant());
    slots.claim(ALICE, HostId.derive(ALICE, "lost-2"), "vpc-1", 2, hosts.clock.instant());

    // Young: they may be requests still starting their workflow, so the limit holds.
    Rejection young = refusedAfter(() -> request("second"));
    assertEquals("HostLimitExceeded", young.code());
    assertEquals(2, slots.held());

    hosts.clock.advance(RequestHost.STALE_SLOT.plusMinutes(1));
    request("second");
    assertEquals(1 + 1, hosts.workflow.running().size(), "first and second");
    assertTrue(slots.holders(ALICE, "vpc-1").stream().anyMatch(slot -> slot.host().equals(HostId.derive(ALICE, "second"))));
  }

  private Rejection refusedAfter(Runnable request) {
    int running = hosts.workflow.running().size();
    Rejection e = assertThrows(Rejection.class, request::run);
    assertEquals(running, hosts.workflow.running().size(), "nothing started");
    return e;
  }

  @Test
  void aCallerWithoutAStudioUserIsToldWhatToSend() {
    Actor admin = new Actor(CallerPrincipal.parse("arn:aws:iam::123456789012:role/platform-admin").orElseThrow(),
        Optional.empty(), true);
    Rejection e = assertThrows(Rejection.class, () -> requestHost.request(admin, HostRequest.Draft.of("m5.large"),
        "k"));
    assertEquals(Rejection.Kind.INVALID, e.kind());
    assertEquals("MissingHeader", e.code());
  }

  @Test
  void refusesWhatTheRegionCannotRun() {
    assertEquals("instanceType: m5.huge does not exist in this region",
        refused(HostRequest.Draft.of("m5.huge"), "k").getMessage());
    assertTrue(refused(HostRequest.Draft.of("g5g.xlarge"), "k").getMessage().contains("arm64 GPU"));
    assertTrue(refused(HostRequest.Draft.of("inf2.xlarge"), "k").getMessage().contains("Inferentia"));
    assertEquals("Idempotency-Key: must be 1 to 64 letters, digits, '-' or '_'",
        refused(HostRequest.Draft.of("m5.large"), "not a key!").getMessage());
    assertEquals("Idempotency-Key: must be 1 to 64 letters, digits, '-' or '_'",
        refused(HostRequest.Draft.of("m5.large"), null).getMessage(), "no key is never made up");
  }

  @Test
  void aSubnetMustBeTheDomainsAndOfferTheType() {
    Rejection outside = refused(withSubnet("subnet-0ccc3333"), "k");
    assertTrue(outside.getMessage().startsWith("subnetId: subnet-0ccc3333 is not a subnet of domain d-abc"),
        outside.getMessage());
    Rejection notOffered = refused(withSubnet("subnet-0bbb2222"), "k");
    assertTrue(notOffered.getMessage().contains("is not offered in us-east-1b"), notOffered.getMessage());
    assertEquals("subnet-0aaa1111", requestHost.request(alice(), withSubnet("subnet-0aaa1111"), "k")
        .subnetId());
  }

  private static HostRequest.Draft withSubnet(String subnetId) {
    return new HostRequest.Draft(Optional.of("m5.large"), Optional.of(subnetId), Optional.empty(), Optional.empty(),
        List.of());
  }
}

package io.studiocp.hosts.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.InstanceTypeInfo;
import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.hosts.provisioning.FileSystems;
import io.studiocp.hosts.provisioning.HostImage;
import io.studiocp.hosts.provisioning.MountTarget;
import io.studiocp.hosts.provisioning.SubnetChoice;
import io.studiocp.platform.Env;
import io.studiocp.studio.StudioDomain;
import io.studiocp.testkit.fakes.InMemoryCatalog;
import io.studiocp.testkit.fakes.InMemoryFleet;
import io.studiocp.testkit.fakes.InMemoryPoolQueues;
import io.studiocp.testkit.fakes.InMemoryStudioDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeepPoolTest {

  /** Monday 7 December 2026, 10:00 in Berlin. */
  private static final Instant MONDAY_MORNING = Instant.parse("2026-12-07T09:00:00Z");

  private final InMemoryFleet world = new InMemoryFleet(MONDAY_MORNING);
  private final HostPolicy policy = HostPolicy.from(Env.of(Map.of("ALLOWED_INSTANCE_TYPES", "m5.*,g5.*")));
  private final InMemoryCatalog catalog = new InMemoryCatalog()
      .type(new InstanceTypeInfo("m5.xlarge", "x86_64", false, false), "eu-central-1a", "eu-central-1b")
      .type(new InstanceTypeInfo("g5.xlarge", "x86_64", true, false), "eu-central-1b")
      .subnet("subnet-a", "eu-central-1a")
      .subnet("subnet-b", "eu-central-1b");
  private final InMemoryStudioDirectory directory = new InMemoryStudioDirectory()
      .add(new StudioDomain("d-abc", "vpc-1", List.of("subnet-a", "subnet-b"), "fs-home", List.of("sg-studio"),
          "arn:aws:iam::123456789012:role/studio", false));
  private final InMemoryPoolQueues queues = new InMemoryPoolQueues();
  private final FileSystems fileSystems = new FileSystems() {
    @Override
    public Map<String, MountTarget> mountTargets(String fileSystemId) {
      return Map.of("eu-central-1a", new MountTarget("fsmt-a", fileSystemId, "eu-central-1a", "subnet-a", "10.0.1.5"),
          "eu-central-1b", new MountTarget("fsmt-b", fileSystemId, "eu-central-1b", "subnet-b", "10.0.2.5"));
    }

    @Override
    public void allowNfs(MountTarget target, String vpcId, String domainId, String hostGroupId) {}
  };

  private KeepPool keeper(String json) {
    PoolLaunch launch = new PoolLaunch(directory, catalog, new SubnetChoice(catalog, catalog, world.fleet),
        type -> new HostImage("ami-" + type.name(), "/dev/xvda"), fileSystems, world.network, world.fleet, world.ec2,
        queues, BootstrapUserData.packaged(), policy,
        new PoolLaunch.Endpoints("eu-central-1", Optional.empty(), Optional.empty()));
    return new KeepPool(PoolSettings.parse(json, policy), world.fleet, launch, world.clock);
  }

  @Test
  void launchesTheMissingPoolHostsReadyToWaitOnTheirQueue() {
    KeepPool.Report report = keeper("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 2, \"g5.xlarge\": 1}}}").keep();

    assertEquals(3, report.count(KeepPool.Action.LAUNCHED), report.toString());
    assertEquals(List.of(), report.problems());
    List<HostInstance> pooled = world.fleet.pooled();
    assertEquals(3, pooled.size());
    for (HostInstance host : pooled) {
      assertEquals(Optional.of("d-abc"), host.poolDomain());
      assertEquals(HostTags.POOLED, host.tags().get(HostTags.STATE));
      assertFalse(host.tags().containsKey(HostTags.OWNER), "nobody owns a pool host");
      assertTrue(world.ec2.terminatesOnShutdown(host.instanceId()), "a pool host that powers off is gone");
      assertEquals(List.of(world.network.ensureHostGroup("vpc-1", "d-abc", List.of("sg-studio"), 1111)),
          world.ec2.securityGroupsOf(host.instanceId()));
      String queue = PoolQueues.name("d-abc", host.instanceType());
      assertTrue(world.ec2.userDataOf(host.instanceId()).contains("SDOCKER_POOL_QUEUE_URL='"
          + InMemoryPoolQueues.url(queue) + "'"));
    }
    assertEquals(List.of("subnet-b"), pooled.stream().filter(h -> h.instanceType().equals("g5.xlarge"))
        .map(HostInstance::subnetId).toList(), "only zone b offers g5.xlarge");
    assertEquals(1, pooled.stream().filter(h -> h.instanceType().equals("m5.xlarge"))
        .map(HostInstance::subnetId).distinct().count(), "a pool's hosts share one subnet");
    assertEquals(List.of("studiocp-pool-d-abc-g5-xlarge", "studiocp-pool-d-abc-m5-xlarge"),
        queues.queueNames().stream().sorted().toList());
    assertEquals(List.of(), world.fleet.all(), "pool hosts are no managed hosts: no listing, police or cleanup sees them");
  }

  @Test
  void everyLaunchedPoolHostHasOneTicketAndARetiredOneTakesOneAway() {
    keeper("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 2}}}").keep();
    String tickets = PoolQueues.ticketsName("d-abc", "m5.xlarge");
    assertEquals("studiocp-free-d-abc-m5-xlarge.fifo", tickets);
    assertEquals(world.fleet.pooled().stream().map(HostInstance::instanceId).sorted().toList(),
        queues.tickets(tickets).stream().sorted().toList(), "one ticket per pool host, naming it");

    keeper("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}}}").keep();

    assertEquals(1, world.fleet.pooled().size());
    assertEquals(1, queues.tickets(tickets).size(), "the retired host's ticket is gone with it");
  }

  @Test
  void aSettledPoolHostWithoutATicketIsGivenOneByTheScheduledRunNotByTheRefill() {
    KeepPool keeper = keeper("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}}}");
    keeper.keep();
    String host = world.fleet.pooled().getFirst().instanceId();
    String tickets = PoolQueues.ticketsName("d-abc", "m5.xlarge");
    // A claim took the ticket and nobody took the claim in time: the host waits on, without one.
    queues.spend(queues.takeTicket(tickets).orElseThrow());
    world.clock.advance(Duration.ofMinutes(2));
    assertEquals(List.of(), keeper.keep().changes(), "a pool younger than 5 minutes is not mended (counts settle)");

    world.clock.advance(Duration.ofMinutes(4));
    assertEquals(List.of(), keeper.refill("d-abc", "m5.xlarge").changes(), "the refill runs beside claims: it mends nothing");
    KeepPool.Report report = keeper.keep();

    assertEquals(List.of(new KeepPool.Change("d-abc", "m5.xlarge", KeepPool.Action.TICKETED, host,
        "it waited without a ticket")), report.changes());
    assertEquals(List.of(host), queues.tickets(tickets));
    assertEquals(List.of(), keeper.keep().changes(), "one ticket per host: nothing more to mend");
  }

  @Test
  void theTicketOfAPoolHostThatDiedUnclaimedIsTakenAwayWhenThePoolIsRefilled() {
    KeepPool keeper = keeper("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}}}");
    keeper.keep();
    String dead = world.fleet.pooled().getFirst().instanceId();
    world.ec2.terminate(List.of(dead));
    String tickets = PoolQueues.ticketsName("d-abc", "m5.xlarge");
    assertEquals(List.of(dead), queues.tickets(tickets));
    world.clock.advance(Duration.ofMinutes(1));

    keeper.keep();

    String fresh = world.fleet.pooled().getFirst().instanceId();
    assertEquals(List.of(fresh), queues.tickets(tickets), "one ticket, the new host's: no claim counts on the dead one");
  }

  @Test
  void aSettledPoolWithMoreTicketsThanHostsLosesTheExtras() {
    KeepPool keeper = keeper("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}}}");
    keeper.keep();
    String tickets = PoolQueues.ticketsName("d-abc", "m5.xlarge");
    queues.addTicket(tickets, "i-0gone", "i-0gone");
    world.clock.advance(Duration.ofMinutes(6));

    keeper.keep();

    assertEquals(1, queues.ticketCount(tickets));
  }

  @Test
  void aPoolHostOlderThanThirteenDaysIsReplacedBeforeItsTicketExpires() {
    KeepPool keeper = keeper("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}}}");
    keeper.keep();
    String old = world.fleet.pooled().getFirst().instanceId();
    world.clock.advance(Duration.ofDays(13).plusMinutes(1));

    KeepPool.Report report = keeper.keep();

    assertEquals(List.of(KeepPool.Action.RETIRED, KeepPool.Action.LAUNCHED),
        report.changes().stream().map(KeepPool.Change::action).toList(), report.toString());
    assertEquals(old, report.changes().getFirst().instanceId());
    assertEquals("terminated", world.ec2.stateOf(old));
    String fresh = world.fleet.pooled().getFirst().instanceId();
    assertEquals(List.of(fresh), queues.tickets(PoolQueues.ticketsName("d-abc", "m5.xlarge")));
  }

  @Test
  void aPoolAtItsSizeIsLeftAlone() {
    KeepPool keeper = keeper("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}}}");
    keeper.keep();
    world.ec2.forgetCalls();

    KeepPool.Report again = keeper.keep();

    assertEquals(List.of(), again.changes());
    assertEquals(0, world.ec2.count("RunInstances") + world.ec2.count("TerminateInstances"));
  }

  @Test
  void extrasAreTerminatedOldestFirst() {
    keeper("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}}}").keep();
    String older = world.fleet.pooled().getFirst().instanceId();
    world.clock.advance(Duration.ofMinutes(5));
    keeper("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 2}}}").keep();

    KeepPool.Report report = keeper("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}}}").keep();

    assertEquals(List.of(new KeepPool.Change("d-abc", "m5.xlarge", KeepPool.Action.RETIRED, older,
        "more than the pool's size of 1")), report.changes());
    assertEquals("terminated", world.ec2.stateOf(older));
    assertEquals(1, world.fleet.pooled().size());
  }

  @Test
  void outsideItsHoursThePoolIsEmptiedAndRefilledWhenTheyBegin() {
    String json = "{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}, \"hours\": {\"zone\": \"Europe/Berlin\", "
        + "\"days\": \"MON-FRI\", \"from\": \"08:00\", \"to\": \"19:00\"}}}";
    keeper(json).keep();
    assertEquals(1, world.fleet.pooled().size());

    world.clock.set(Instant.parse("2026-12-07T18:30:00Z"));
    KeepPool.Report evening = keeper(json).keep();
    assertEquals("outside the pool's hours", evening.changes().getFirst().reason());
    assertEquals(List.of(), world.fleet.pooled());

    world.clock.set(Instant.parse("2026-12-08T07:00:00Z"));
    assertEquals(1, keeper(json).keep().count(KeepPool.Action.LAUNCHED));
    assertEquals(1, world.fleet.pooled().size());
  }

  @Test
  void aPoolNoLongerConfiguredIsTerminated() {
    keeper("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}}}").keep();

    KeepPool.Report report = keeper("{}").keep();

    assertEquals(1, report.count(KeepPool.Action.RETIRED));
    assertEquals(List.of(), world.fleet.pooled());
  }

  @Test
  void aPoolThatCannotBeKeptIsReportedAndTheOthersAreKept() {
    KeepPool.Report report = keeper("{\"d-gone\": {\"sizes\": {\"m5.xlarge\": 1}}, "
        + "\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}}}").keep();

    assertEquals(List.of(new KeepPool.Problem("d-gone", "m5.xlarge", "domain d-gone does not exist")),
        report.problems());
    assertEquals(1, report.count(KeepPool.Action.LAUNCHED));
  }

  @Test
  void aRefillKeepsOnlyTheClaimedPool() {
    KeepPool keeper = keeper("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1, \"g5.xlarge\": 1}}}");

    KeepPool.Report report = keeper.refill("d-abc", "m5.xlarge");

    assertEquals(1, report.count(KeepPool.Action.LAUNCHED));
    assertEquals(List.of("m5.xlarge"), world.fleet.pooled().stream().map(HostInstance::instanceType).toList());
  }
}

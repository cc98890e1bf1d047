package io.studiocp.hosts.aws;

import static io.studiocp.testkit.AwsTestWorld.ALICE;
import static io.studiocp.testkit.AwsTestWorld.DOMAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.HostRequest;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.InstanceTypeInfo;
import io.studiocp.hosts.InstanceTypes;
import io.studiocp.hosts.StudioPaths;
import io.studiocp.hosts.pool.KeepPool;
import io.studiocp.hosts.pool.PoolLaunch;
import io.studiocp.hosts.pool.PoolQueues;
import io.studiocp.hosts.pool.PoolSettings;
import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.hosts.provisioning.LaunchPlan;
import io.studiocp.hosts.provisioning.PrepareInput;
import io.studiocp.hosts.provisioning.PrepareLaunch;
import io.studiocp.hosts.provisioning.ProvisioningException;
import io.studiocp.hosts.provisioning.SubnetChoice;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.platform.Env;
import io.studiocp.studio.aws.SageMakerStudioDirectory;
import io.studiocp.testkit.AwsTestWorld;
import io.studiocp.testkit.TestClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The warm pool's adapters against moto: pool hosts in EC2, claim queues in SQS. */
@ExtendWith(MotoExtension.class)
class PoolAdaptersTest {

  private final MotoServer moto;
  private AwsTestWorld world;
  private SqsClient sqs;
  private Ec2Hosts hosts;
  private HostFleet fleet;
  private SqsPoolQueues queues;
  private KeepPool keeper;
  private PrepareLaunch prepare;
  private final AtomicInteger offeringReads = new AtomicInteger();

  PoolAdaptersTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void setUp() {
    world = AwsTestWorld.create(moto);
    Env env = Env.of(world.env());
    HostPolicy policy = HostPolicy.from(env);
    sqs = world.clients().build(SqsClient.builder(), "SQS");
    hosts = new Ec2Hosts(world.ec2);
    fleet = new HostFleet(hosts, hosts);
    queues = new SqsPoolQueues(sqs);
    AwsQueryClient ec2Query = world.ec2Query();
    Ec2Catalog catalog = new Ec2Catalog(ec2Query);
    PoolLaunch launch = new PoolLaunch(SageMakerStudioDirectory.of(world.clients()), catalog,
        new SubnetChoice(catalog, catalog, fleet), SsmHostImages.of(world.clients(), ec2Query),
        EfsFileSystems.of(world.clients(), ec2Query), new Ec2HostNetwork(ec2Query), fleet,
        new Ec2HostLauncher(world.ec2, world.hostInstanceProfileArn), queues, BootstrapUserData.packaged(), policy,
        new PoolLaunch.Endpoints(AwsTestWorld.REGION, Optional.of(moto.endpoint()), Optional.empty()));
    keeper = new KeepPool(PoolSettings.parse("{\"" + DOMAIN + "\": {\"sizes\": {\"m5.xlarge\": 1}}}", policy),
        fleet, launch, new TestClock(Instant.now()));
    // Prepare as its function wires it, its catalog counting the offerings it reads.
    InstanceTypes counted = new InstanceTypes() {
      @Override
      public Optional<InstanceTypeInfo> describe(String instanceType) {
        return catalog.describe(instanceType);
      }

      @Override
      public boolean offeredIn(String instanceType, String availabilityZone) {
        offeringReads.incrementAndGet();
        return catalog.offeredIn(instanceType, availabilityZone);
      }
    };
    prepare = new PrepareLaunch(SageMakerStudioDirectory.of(world.clients()), counted, catalog,
        SsmHostImages.of(world.clients(), ec2Query), EfsFileSystems.of(world.clients(), ec2Query),
        new Ec2HostNetwork(ec2Query), new HostFleet(new LeanEc2Hosts(ec2Query), hosts), StudioPaths.from(env), policy);
    this.policy = policy;
  }

  private HostPolicy policy;

  private PrepareInput request(String key) {
    return new PrepareInput(HostId.derive(ALICE, key), ALICE,
        new HostRequest("m5.xlarge", null, policy.defaultVolumeGiB(), 4, List.of()),
        "arn:aws:states:us-east-1:123456789012:execution:ProvisionHost:" + HostId.derive(ALICE, key),
        "2026-11-23T10:00:00Z");
  }

  @Test
  void aClaimGoesToThePoolHostsSubnetWithoutReadingOfferingsAndALaunchReadsThem() {
    LaunchPlan launched = prepare.prepare(request("k1"));
    assertFalse(launched.pool(), "no pool host waits yet");
    assertTrue(offeringReads.get() > 0, "a launch chooses among the subnets whose zone offers the type");

    keeper.keep();
    HostInstance waiting = fleet.pooled().getFirst();
    offeringReads.set(0);
    LaunchPlan claimed = prepare.prepare(request("k2"));
    assertTrue(claimed.pool(), "the pool host is claimed");
    assertEquals(waiting.subnetId(), claimed.subnetId(), "in the pool host's subnet, its mounts that zone's");
    assertEquals(0, offeringReads.get(), "the pool host runs its type in its zone: no offering is read");
    assertEquals(launched.mounts().size(), claimed.mounts().size());
    assertEquals(launched.securityGroupIds(), claimed.securityGroupIds(), "the same groups as a launch");
  }

  @AfterEach
  void tearDown() {
    sqs.close();
    world.close();
  }

  @Test
  void aPoolHostIsLaunchedToTerminateOnShutdownAndFoundByItsTags() {
    KeepPool.Report report = keeper.keep();

    assertEquals(List.of(), report.problems());
    assertEquals(1, report.count(KeepPool.Action.LAUNCHED));
    List<HostInstance> pooled = fleet.pooled();
    assertEquals(1, pooled.size());
    HostInstance host = pooled.getFirst();
    assertEquals(Optional.of(DOMAIN), host.poolDomain());
    assertEquals("m5.xlarge", host.instanceType());
    assertEquals("terminate", world.ec2.describeInstanceAttribute(r -> r.instanceId(host.instanceId())
        .attribute(InstanceAttributeName.INSTANCE_INITIATED_SHUTDOWN_BEHAVIOR))
        .instanceInitiatedShutdownBehavior().value());
    String script = hosts.bootScript(host.instanceId()).orElseThrow();
    assertEquals("pool", BootstrapUserData.taskToken(script).orElseThrow());
    assertTrue(script.contains("SDOCKER_SQS_ENDPOINT='" + moto.endpoint() + "'"), script);
    assertEquals(List.of(), fleet.all(), "not a managed host");

    assertEquals(List.of(), keeper.keep().changes(), "the pool is at its size");
  }

  @Test
  void theClaimQueueIsCreatedOnceWithShortLives() {
    String queue = PoolQueues.name(DOMAIN, "m5.xlarge");
    String url = queues.ensure(queue);
    assertEquals(url, queues.ensure(queue), "idempotent");
    Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(url)
        .attributeNames(QueueAttributeName.ALL)).attributes();
    assertEquals("300", attributes.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD));
    assertEquals("60", attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT));

    queues.send(queue, "U0RPQ0tFUl9IT1NUX0lEPSdoJwo=");
    assertEquals("U0RPQ0tFUl9IT1NUX0lEPSdoJwo=", sqs.receiveMessage(r -> r.queueUrl(url)).messages().getFirst().body());
  }

  @Test
  void eachTicketGoesToOneTakerAndAReleasedOneComesBack() throws Exception {
    String tickets = PoolQueues.ticketsName(DOMAIN, "m5.xlarge");
    queues.ensureTickets(tickets);
    queues.ensureTickets(tickets);
    queues.addTicket(tickets, "i-0aaa", "i-0aaa");
    queues.addTicket(tickets, "i-0aaa", "i-0aaa");
    queues.addTicket(tickets, "i-0bbb", "i-0bbb");

    // Three takers at once on two tickets: two get one each, the third none (and does not wait).
    var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      java.util.concurrent.Callable<Optional<PoolQueues.Ticket>> take = () -> queues.takeTicket(tickets);
      List<java.util.concurrent.Future<Optional<PoolQueues.Ticket>>> takes = pool.invokeAll(List.of(take, take, take));
      List<PoolQueues.Ticket> taken = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<Optional<PoolQueues.Ticket>> one : takes) {
        one.get().ifPresent(taken::add);
      }
      assertEquals(2, taken.size(), "the same host's ticket twice is one ticket; each goes to one taker");
      assertTrue(queues.takeTicket(tickets).isEmpty());
      assertEquals(2, queues.ticketCount(tickets), "taken tickets still count until spent");

      queues.release(taken.get(0));
      queues.spend(taken.get(1));
      PoolQueues.Ticket again = queues.takeTicket(tickets).orElseThrow(() -> new AssertionError("released"));
      queues.spend(again);
      assertTrue(queues.takeTicket(tickets).isEmpty(), "spent tickets are gone");
      assertEquals(0, queues.ticketCount(tickets));
    } finally {
      pool.shutdownNow();
    }
    String url = sqs.getQueueUrl(r -> r.queueName(tickets)).queueUrl();
    Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(url)
        .attributeNames(QueueAttributeName.ALL)).attributes();
    assertEquals("true", attributes.get(QueueAttributeName.FIFO_QUEUE));
    assertEquals("1209600", attributes.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD));
    assertTrue(queues.takeTicket("studiocp-free-d-nothing-m5-xlarge.fifo").isEmpty(), "no queue, no ticket");
  }

  @Test
  void aClaimOnAQueueThatDoesNotExistFailsWithItsName() {
    ProvisioningException e = assertThrows(ProvisioningException.class,
        () -> queues.send("studiocp-pool-d-nothing-m5-xlarge", "x"));
    assertTrue(e.getMessage().contains("studiocp-pool-d-nothing-m5-xlarge does not exist"), e.getMessage());
  }

  /** Queue URLs are asked for once; a queue deleted since is answered as one that never existed. */
  @Test
  void aQueueDeletedAfterItsUrlWasKnownIsAnsweredAsMissing() {
    String queue = PoolQueues.name(DOMAIN, "m5.2xlarge");
    String tickets = PoolQueues.ticketsName(DOMAIN, "m5.2xlarge");
    queues.ensure(queue);
    queues.ensureTickets(tickets);
    queues.addTicket(tickets, "i-0ccc", "i-0ccc");
    assertTrue(queues.exists(queue));
    queues.send(queue, "first");
    queues.spend(queues.takeTicket(tickets).orElseThrow());

    sqs.deleteQueue(r -> r.queueUrl(sqs.getQueueUrl(q -> q.queueName(queue)).queueUrl()));
    sqs.deleteQueue(r -> r.queueUrl(sqs.getQueueUrl(q -> q.queueName(tickets)).queueUrl()));

    ProvisioningException gone = assertThrows(ProvisioningException.class, () -> queues.send(queue, "second"));
    assertTrue(gone.getMessage().contains(queue + " does not exist"), gone.getMessage());
    assertFalse(queues.exists(queue), "forgotten, then asked again");
    assertTrue(queues.takeTicket(tickets).isEmpty(), "no queue, no ticket");
    assertEquals(0, queues.ticketCount(tickets));
    queues.ensure(queue);
    queues.send(queue, "third");
  }

  @Test
  void anAdoptedPoolHostCarriesALaunchedHostsTagsAndGroupsOnly() {
    keeper.keep();
    HostInstance pooled = fleet.pooled().getFirst();
    String userGroup = world.ec2.createSecurityGroup(r -> r.vpcId(world.vpcId).groupName("user-ports")
        .description("x")).groupId();
    HostId id = HostId.derive(ALICE, "adopted");
    HostFleet.NewHost host = new HostFleet.NewHost(id, ALICE, "2030-01-01T00:00:00Z", "arn:exec", 1111,
        "/home/sagemaker-user/.sdocker/hosts/" + id, List.of(), "claim", "2026-12-07T10:00:00Z", 100);

    fleet.adopt(pooled, host, List.of(userGroup));

    HostInstance adopted = hosts.instance(pooled.instanceId()).orElseThrow();
    Map<String, String> expected = new java.util.HashMap<>(fleet.launchTags(host));
    assertEquals(expected, Map.copyOf(adopted.tags()), "exactly a launched host's tags");
    assertFalse(adopted.isPooled());
    assertEquals(List.of(pooled.instanceId()), fleet.instancesOf(id).stream().map(HostInstance::instanceId).toList());
    assertEquals(List.of(userGroup), world.ec2.describeInstances(r -> r.instanceIds(pooled.instanceId()))
        .reservations().getFirst().instances().getFirst().securityGroups().stream().map(g -> g.groupId()).toList());
    assertEquals(List.of(), fleet.pooled());
    assertEquals(HostTags.POOLED, pooled.tags().get(HostTags.STATE));
  }
}

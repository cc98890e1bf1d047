package io.studiocp.hosts.aws;

import static io.studiocp.testkit.AwsTestWorld.ALICE;
import static io.studiocp.testkit.AwsTestWorld.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostSlots;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.InstanceTypeInfo;
import io.studiocp.hosts.provisioning.ProvisioningException;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.platform.Env;
import io.studiocp.platform.TransientAwsException;
import io.studiocp.testkit.AwsTestWorld;
import io.studiocp.testkit.RecordingProxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The lean EC2, SSM and EFS adapters (query protocol, signed JSON) against moto and the SSM stand-in
 * over HTTP: hosts read as the SDK's adapter reads them, the same filters and pages; host slots
 * taken once each, even twenty at once; refusals keep EC2's codes, throttling is transient after
 * the SDK's retries; missing parameters and file systems fail clearly; priming sends nothing.
 */
@ExtendWith(MotoExtension.class)
class LeanEc2AdaptersTest {

  private static final String IMAGE = "ami-0aae19d30bab785d3";

  private final MotoServer moto;
  private AwsTestWorld world;
  private AwsQueryClient ec2;

  LeanEc2AdaptersTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void setUp() {
    world = AwsTestWorld.create(moto);
    ec2 = world.ec2Query();
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  private String launch(Map<String, String> tags) {
    return world.ec2.runInstances(r -> r.imageId(IMAGE).instanceType("m5.large").minCount(1).maxCount(1)
        .subnetId(world.subnetIds.getFirst()).tagSpecifications(TagSpecification.builder()
            .resourceType(ResourceType.INSTANCE).tags(tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()).build()))
        .instances().getFirst().instanceId();
  }

  private static Map<String, String> host(HostId id, String owner) {
    return Map.of(HostTags.MANAGED, "true", HostTags.HOST_ID, id.value(), HostTags.OWNER, owner,
        HostTags.STATE, "READY");
  }

  @Test
  void readsHostsAsTheSdksAdapterReadsThem() {
    HostId first = HostId.derive(ALICE, "one");
    HostId second = HostId.derive(ALICE, "two");
    launch(host(first, ALICE.owner()));
    String stopped = launch(host(second, ALICE.owner()));
    launch(host(HostId.derive(BOB, "one"), BOB.owner()));
    launch(Map.of(HostTags.POOL, AwsTestWorld.DOMAIN, HostTags.STATE, HostTags.POOLED));
    launch(Map.of("Name", "not ours"));
    world.ec2.stopInstances(r -> r.instanceIds(stopped));

    Ec2Hosts sdk = new Ec2Hosts(world.ec2);
    LeanEc2Hosts lean = new LeanEc2Hosts(ec2);

    List<HostInstance> alices = lean.ownedBy(ALICE);
    assertEquals(2, alices.size());
    assertEquals(sdk.ownedBy(ALICE), alices);
    assertEquals(3, lean.all().size());
    assertEquals(sdk.all(), lean.all());
    assertEquals(sdk.instancesOf(second), lean.instancesOf(second));
    assertTrue(List.of("stopping", "stopped").contains(lean.instancesOf(second).getFirst().ec2State()),
        lean.instancesOf(second).getFirst().ec2State());
    assertEquals(1, lean.pooled().size());
    assertEquals(sdk.pooled(), lean.pooled());
    HostInstance one = lean.instance(stopped).orElseThrow();
    assertEquals(sdk.instance(stopped).orElseThrow(), one);
    assertEquals(second.value(), one.tags().get(HostTags.HOST_ID));
    assertEquals(world.subnetIds.getFirst(), one.subnetId());
    assertTrue(one.launchTime() != null && one.privateIpAddress() != null, one.toString());
  }

  @Test
  void anUnknownOrMalformedInstanceIsEmpty() {
    LeanEc2Hosts lean = new LeanEc2Hosts(ec2);
    assertTrue(lean.instance("i-0123456789abcdef0").isEmpty());
    assertTrue(lean.instance("not-an-instance").isEmpty());
  }

  @Test
  void followsEveryPage() {
    for (int i = 0; i < 7; i++) {
      launch(Map.of("paged", "yes"));
    }
    try (RecordingProxy proxy = RecordingProxy.to(moto.endpoint())) {
      AwsQueryClient recorded = clientTo(proxy.endpoint());
      int found = Ec2Query.all(recorded, Ec2Query.Call.DescribeInstances, new AwsQueryClient.Parameters()
              .filter("tag:paged", "yes").add("MaxResults", 5), "reservationSet").stream()
          .mapToInt(r -> r.items("instancesSet").size()).sum();
      assertEquals(7, found);
      assertEquals(2, proxy.requests().size(), "two pages of at most five");
    }
  }

  @Test
  void readsInstanceTypesAndSubnetsAsEc2DescribesThem() {
    Ec2Catalog catalog = new Ec2Catalog(ec2);
    assertEquals(new InstanceTypeInfo("m5.xlarge", "x86_64", false, false), catalog.describe("m5.xlarge").orElseThrow());
    assertEquals("arm64", catalog.describe("t4g.large").orElseThrow().architecture());
    assertTrue(catalog.describe("g5.xlarge").orElseThrow().nvidiaGpu());
    assertTrue(catalog.describe("inf2.xlarge").orElseThrow().otherAccelerator());
    assertTrue(catalog.describe("m5.nonexistent").isEmpty());
    assertEquals(Map.of(world.subnetIds.get(0), world.zones.get(0), world.subnetIds.get(1), world.zones.get(1)),
        catalog.availabilityZones(List.of(world.subnetIds.get(0), world.subnetIds.get(1), "subnet-0000000000000000")));
    assertTrue(catalog.offeredIn("m5.large", world.zones.getFirst()));
  }

  @Test
  void aHostSlotIsTakenOnceAndGivenBack() {
    Ec2HostSlots slots = new Ec2HostSlots(ec2);
    HostId first = HostId.derive(ALICE, "one");
    HostId second = HostId.derive(ALICE, "two");
    Instant now = Instant.parse("2026-12-07T10:00:00Z");

    assertEquals(OptionalInt.of(1), slots.claim(ALICE, first, world.vpcId, 2, now));
    assertEquals(OptionalInt.of(1), slots.claim(ALICE, first, world.vpcId, 2, now), "the same host keeps its slot");
    assertEquals(OptionalInt.of(2), slots.claim(ALICE, second, world.vpcId, 2, now));
    assertEquals(OptionalInt.empty(), slots.claim(ALICE, HostId.derive(ALICE, "three"), world.vpcId, 2, now));
    assertEquals(List.of(new HostSlots.Slot(1, first, now), new HostSlots.Slot(2, second, now)),
        slots.holders(ALICE, world.vpcId).stream().sorted(Comparator.comparingInt(HostSlots.Slot::number))
            .toList());
    assertEquals(List.of(), slots.holders(BOB, world.vpcId));

    slots.release(first);
    assertEquals(List.of(second), slots.holders(ALICE, world.vpcId).stream().map(HostSlots.Slot::host).toList());
  }

  @Test
  void twentyClaimsAtOnceTakeTheLimitAndNoMore() throws Exception {
    Ec2HostSlots slots = new Ec2HostSlots(ec2);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<OptionalInt>> claims = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        HostId host = HostId.derive(ALICE, "k" + i);
        claims.add(pool.submit(() -> slots.claim(ALICE, host, world.vpcId, 2, Instant.now())));
      }
      int taken = 0;
      for (Future<OptionalInt> claim : claims) {
        taken += claim.get().isPresent() ? 1 : 0;
      }
      assertEquals(2, taken);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void securityGroupsAreCompletedRuleByRuleAndDeletedOnce() {
    SecurityGroups groups = new SecurityGroups(ec2);
    String id = groups.ensure(world.vpcId, "studiocp-test", "a test group", Map.of(HostTags.MANAGED, "true"));
    assertEquals(id, groups.ensure(world.vpcId, "studiocp-test", "a test group", Map.of()), "found, not created again");
    groups.allowTcpFrom(id, List.of(1111, 8080), List.of(world.studioSecurityGroup), "Studio");
    groups.allowTcpFrom(id, List.of(1111, 8080), List.of(world.studioSecurityGroup), "Studio");
    SecurityGroups.Group group = groups.find(world.vpcId, "studiocp-test").orElseThrow();
    assertEquals(Set.of("1111/" + world.studioSecurityGroup, "8080/" + world.studioSecurityGroup),
        group.tcpRules());
    assertEquals("true", group.tags().get(HostTags.MANAGED));

    assertTrue(groups.delete(id));
    assertTrue(groups.delete(id), "a group already gone counts as deleted");
    assertTrue(groups.findByName("studiocp-test").isEmpty());
  }

  @Test
  void aMissingParameterOrFileSystemFailsClearly() throws Exception {
    SsmHostImages images = SsmHostImages.of(world.clients(), ec2);
    assertTrue(images.imageFor(new InstanceTypeInfo("m5.large", "x86_64", false, false)).imageId().startsWith("ami-"));

    EfsFileSystems fileSystems = EfsFileSystems.of(world.clients(), ec2);
    assertEquals(world.mountTargetByZone.keySet(), fileSystems.mountTargets(world.fileSystemId).keySet());
    ProvisioningException missing = assertThrows(ProvisioningException.class,
        () -> fileSystems.mountTargets("fs-0000000000000000"));
    assertTrue(missing.getMessage().contains("fs-0000000000000000 does not exist"), missing.getMessage());

    // A region without the parameter: SSM's refusal as the JSON protocol sends it (moto has them all).
    HttpServer ssm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ssm.createContext("/", exchange -> {
      boolean asked = exchange.getRequestHeaders().getFirst("X-Amz-Target").equals("AmazonSSM.GetParameter");
      byte[] answer = ("{\"__type\":\"" + (asked ? "ParameterNotFound" : "Unexpected") + "\"}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(400, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    ssm.start();
    try {
      AwsClients noParameters = new AwsClients(Env.of(Map.of("AWS_REGION", AwsTestWorld.REGION,
          "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
          "AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:" + ssm.getAddress().getPort())));
      ProvisioningException noImage = assertThrows(ProvisioningException.class, () -> SsmHostImages.of(noParameters,
          ec2).imageFor(new InstanceTypeInfo("m5.large", "x86_64", false, false)));
      assertTrue(noImage.getMessage().contains("does not exist in this region"), noImage.getMessage());
    } finally {
      ssm.stop(0);
    }
  }

  @Test
  void signsEachCallForEc2InItsRegion() {
    try (RecordingProxy proxy = RecordingProxy.to(moto.endpoint())) {
      new LeanEc2Hosts(clientTo(proxy.endpoint())).all();
      RecordingProxy.Request request = proxy.requests().getFirst();
      assertEquals("POST", request.method());
      assertTrue(request.headers().get("content-type").getFirst().startsWith("application/x-www-form-urlencoded"));
      String authorization = request.headers().get("authorization").getFirst();
      assertTrue(authorization.contains("/" + AwsTestWorld.REGION + "/ec2/aws4_request"), authorization);
    }
  }

  @Test
  void throttlingIsTransientOnceTheRetriesAreSpentAndOtherRefusalsKeepTheirCode() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      calls.incrementAndGet();
      boolean throttled = body.contains("Action=DescribeInstanceTypes");
      String code = throttled ? "RequestLimitExceeded" : "InvalidParameterValue";
      byte[] answer = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>" + code
          + "</Code><Message>no</Message></Error></Errors><RequestID>r-1</RequestID></Response>")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(throttled ? 503 : 400, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    try {
      AwsQueryClient failing = clientTo("http://127.0.0.1:" + server.getAddress().getPort());
      TransientAwsException busy = assertThrows(TransientAwsException.class,
          () -> new Ec2Catalog(failing).describe("m5.large"));
      assertTrue(busy.getMessage().contains("RequestLimitExceeded"), busy.getMessage());
      assertEquals(4, calls.get(), "the SDK's standard strategy: four tries");

      calls.set(0);
      AwsServiceException refused = assertThrows(AwsServiceException.class,
          () -> new LeanEc2Hosts(failing).all());
      assertEquals("InvalidParameterValue", refused.awsErrorDetails().errorCode());
      assertEquals(400, refused.statusCode());
      assertFalse(AwsFailures.isTransient(refused));
      assertEquals(1, calls.get(), "sent once");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void primingRunsTheCallsWithoutSendingOne() {
    try (RecordingProxy.Recorded recorded = RecordingProxy.inFrontOf(world.env())) {
      AwsClients aws = new AwsClients(Env.of(recorded.env()));
      AwsQueryClient recordedEc2 = Ec2Query.client(aws);
      SsmHostImages.of(aws, recordedEc2).primer().run();
      EfsFileSystems.of(aws, recordedEc2).primer().run();
      new LeanEc2Hosts(recordedEc2.priming()).all();
      new Ec2Catalog(recordedEc2.priming()).describe("m5.large");
      new Ec2HostSlots(recordedEc2.priming()).holders(ALICE, world.vpcId);

      assertEquals(List.of(), recorded.requests(), "priming calls are answered locally");
      new LeanEc2Hosts(recordedEc2).all();
      assertEquals(1, recorded.requests().size(), "the client works after priming");
    }
  }

  private AwsQueryClient clientTo(String endpoint) {
    return Ec2Query.client(new AwsClients(Env.of(Map.of("AWS_REGION", AwsTestWorld.REGION,
        "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing", "AWS_ENDPOINT_URL_EC2", endpoint))));
  }
}

package io.studiocp.functions.provision;

import static io.studiocp.testkit.AwsTestWorld.ALICE;
import static io.studiocp.testkit.AwsTestWorld.DOMAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostRequest;
import io.studiocp.hosts.HostState;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.ProvisioningInput;
import io.studiocp.hosts.aws.AwsWarmPool;
import io.studiocp.hosts.aws.Ec2Hosts;
import io.studiocp.hosts.pool.KeepPool;
import io.studiocp.hosts.pool.PoolQueues;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.testkit.WorkflowFixture;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The workflow with a warm pool of one m5.xlarge (the real definition, the real steps, moto's EC2
 * and SQS): the test plays the pool host, taking the claim from its queue and reporting back the
 * way bootstrap.sh does.
 */
@ExtendWith(MotoExtension.class)
class PoolWorkflowTest {

  private static final Pattern LINE = Pattern.compile("(?m)^(SDOCKER_[A-Z_]+)='([^']*)'$");

  private final MotoServer moto;
  private WorkflowFixture fixture;
  private Ec2Hosts hosts;
  private HostFleet fleet;
  private SqsClient sqs;
  private Env env;

  PoolWorkflowTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void start() {
    fixture = WorkflowFixture.start(moto, Duration.ofSeconds(4), Duration.ofSeconds(60),
        WorkflowFixture.Steps.of(
            e -> new PrepareHandler(pooled(e)), e -> new LaunchHandler(pooled(e)),
            e -> new MarkReadyHandler(pooled(e)), e -> new CompensateHandler(pooled(e)),
            e -> new ClaimHandler(pooled(e)), e -> new RefillHandler(pooled(e))));
    hosts = new Ec2Hosts(fixture.world.ec2);
    fleet = new HostFleet(hosts, hosts);
    sqs = fixture.world.clients().build(SqsClient.builder(), "SQS");
    env = pooled(fixture.env());
    KeepPool.Report kept = AwsWarmPool.keeper(env, fixture.world.clients(), fixture.world.ec2,
        Clock.systemUTC()).keep();
    assertEquals(List.of(), kept.problems());
    assertEquals(1, fleet.pooled().size());
  }

  private Env pooled(Env base) {
    return base.with("WARM_POOL", "{\"" + DOMAIN + "\": {\"sizes\": {\"m5.xlarge\": 1}}}")
        .with("HOST_SQS_ENDPOINT", moto.endpoint());
  }

  @AfterEach
  void stop() {
    sqs.close();
    fixture.close();
  }

  private HostId startExecution(String key, int volumeGiB) throws Exception {
    HostId id = HostId.derive(ALICE, key);
    String input = Json.mapper().writeValueAsString(new ProvisioningInput(id, ALICE,
        new HostRequest("m5.xlarge", null, volumeGiB, 2, List.of())));
    fixture.sfn.startExecution(r -> r.stateMachineArn(fixture.stateMachineArn).name(id.value()).input(input));
    return id;
  }

  /** What a pool host reads from its queue: the claim's values, by name. */
  private Map<String, String> takeClaim() throws InterruptedException {
    String url = sqs.getQueueUrl(r -> r.queueName(PoolQueues.name(DOMAIN, "m5.xlarge"))).queueUrl();
    for (int i = 0; i < 100; i++) {
      List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1)).messages();
      if (!messages.isEmpty()) {
        Message message = messages.getFirst();
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
        String block = new String(Base64.getDecoder().decode(message.body()), StandardCharsets.UTF_8);
        Map<String, String> values = new LinkedHashMap<>();
        Matcher m = LINE.matcher(block);
        while (m.find()) {
          values.put(m.group(1), m.group(2));
        }
        return values;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("no claim came");
  }

  private void report(String token, HostId id, HostInstance instance, String port) {
    fixture.sfn.sendTaskSuccess(r -> r.taskToken(token).output("{\"hostId\":\"" + id + "\",\"instanceId\":\""
        + instance.instanceId() + "\",\"privateDnsName\":\"" + instance.privateDnsName() + "\",\"dockerPort\":"
        + port + "}"));
  }

  @Test
  void aClaimedPoolHostBecomesTheUsersHostAndThePoolIsRefilled() throws Exception {
    HostInstance pooled = fleet.pooled().getFirst();
    HostId id = startExecution("claimed", 100);
    Map<String, String> claim = takeClaim();
    assertEquals(id.value(), claim.get("SDOCKER_HOST_ID"));
    assertEquals("200001", claim.get("SDOCKER_UID"), "alice's identity");
    fixture.sfn.sendTaskHeartbeat(r -> r.taskToken(claim.get("SDOCKER_TASK_TOKEN")));
    report(claim.get("SDOCKER_TASK_TOKEN"), id, pooled, claim.get("SDOCKER_DOCKER_PORT"));

    DescribeExecutionResponse done = fixture.awaitEnd(fixture.executionArn(id.value()), Duration.ofSeconds(20));
    assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.cause());
    JsonNode output = Json.mapper().readTree(done.output());
    assertEquals(pooled.instanceId(), output.get("instanceId").asText(), "the pool host is the user's host");
    assertTrue(output.get("claimed").asBoolean());
    HostInstance mine = hosts.instance(pooled.instanceId()).orElseThrow();
    assertEquals(HostState.READY, mine.state());
    assertEquals(id.value(), mine.tags().get(HostTags.HOST_ID));
    assertEquals(ALICE.owner(), mine.tags().get(HostTags.OWNER));
    assertFalse(mine.tags().containsKey(HostTags.POOL), "never returned to the pool: " + mine.tags());
    assertEquals("stop", fixture.world.ec2.describeInstanceAttribute(r -> r.instanceId(pooled.instanceId())
        .attribute(InstanceAttributeName.INSTANCE_INITIATED_SHUTDOWN_BEHAVIOR)).instanceInitiatedShutdownBehavior()
        .value(), "a shutdown inside stops the user's host, as it does a launched one");
    assertEquals(List.of(pooled.instanceId()), fleet.instancesOf(id).stream().map(HostInstance::instanceId).toList(),
        "nothing was launched for the user");
    List<HostInstance> refilled = fleet.pooled();
    assertEquals(1, refilled.size(), "the pool is refilled");
    assertNotEquals(pooled.instanceId(), refilled.getFirst().instanceId());
  }

  @Test
  void aClaimNobodyTakesFallsBackToAFreshLaunch() throws Exception {
    HostInstance pooled = fleet.pooled().getFirst();
    HostId id = startExecution("untaken", 100);

    HostInstance launched = fixture.awaitInstance(id);
    assertNotEquals(pooled.instanceId(), launched.instanceId());
    String token = hosts.taskTokenOf(launched.instanceId()).orElseThrow();
    report(token, id, launched, launched.tags().get(HostTags.DOCKER_PORT));

    DescribeExecutionResponse done = fixture.awaitEnd(fixture.executionArn(id.value()), Duration.ofSeconds(20));
    assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.cause());
    assertEquals(launched.instanceId(), Json.mapper().readTree(done.output()).get("instanceId").asText());
    assertEquals(List.of(pooled.instanceId()), fleet.pooled().stream().map(HostInstance::instanceId).toList(),
        "the pool host still waits");
  }

  @Test
  void twoRequestsAtOnceOnAPoolOfOneOneClaimsItAndTheOtherLaunchesAtOnce() throws Exception {
    HostInstance pooled = fleet.pooled().getFirst();
    HostId first = startExecution("first", 100);
    HostId second = startExecution("second", 100);

    // One claim reaches the pool's queue; the other request finds no ticket and launches, without
    // waiting for the claim's timeout (its Claim fails with the reason, not States.Timeout).
    Map<String, String> claim = takeClaim();
    HostId claimed = new HostId(claim.get("SDOCKER_HOST_ID"));
    HostId launchedFor = claimed.equals(first) ? second : first;
    HostInstance launched = fixture.awaitInstance(launchedFor);
    assertNotEquals(pooled.instanceId(), launched.instanceId());
    String claimFailure = fixture.sfn.getExecutionHistory(r -> r.executionArn(fixture.executionArn(launchedFor.value()))
        .maxResults(1000)).events().stream()
        .filter(e -> e.lambdaFunctionFailedEventDetails() != null || e.taskFailedEventDetails() != null)
        .map(e -> e.taskFailedEventDetails() != null ? e.taskFailedEventDetails().cause()
            : e.lambdaFunctionFailedEventDetails().cause())
        .findFirst().orElseThrow(() -> new AssertionError("the second request's Claim did not fail"));
    assertTrue(claimFailure.contains("no free pool host of m5.xlarge"), claimFailure);

    fixture.sfn.sendTaskHeartbeat(r -> r.taskToken(claim.get("SDOCKER_TASK_TOKEN")));
    report(claim.get("SDOCKER_TASK_TOKEN"), claimed, pooled, claim.get("SDOCKER_DOCKER_PORT"));
    report(hosts.taskTokenOf(launched.instanceId()).orElseThrow(), launchedFor, launched,
        launched.tags().get(HostTags.DOCKER_PORT));
    for (HostId id : List.of(first, second)) {
      DescribeExecutionResponse done = fixture.awaitEnd(fixture.executionArn(id.value()), Duration.ofSeconds(20));
      assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.cause());
    }
    assertEquals(List.of(pooled.instanceId()), fleet.instancesOf(claimed).stream().map(HostInstance::instanceId)
        .toList(), "the claimed request has the pool host");
  }

  @Test
  void aReportWithTheClaimsTokenNamingAnInstanceOutsideThePoolFails() throws Exception {
    HostInstance pooled = fleet.pooled().getFirst();
    String image = fixture.world.ec2.describeInstances(r -> r.instanceIds(pooled.instanceId())).reservations()
        .getFirst().instances().getFirst().imageId();
    String other = fixture.world.ec2.runInstances(r -> r.imageId(image).minCount(1).maxCount(1)
        .instanceType("m5.xlarge").subnetId(fixture.world.subnetIds.getFirst())).instances().getFirst().instanceId();
    HostInstance stranger = hosts.instance(other).orElseThrow();
    HostId id = startExecution("forged", 100);
    Map<String, String> claim = takeClaim();
    report(claim.get("SDOCKER_TASK_TOKEN"), id, stranger, claim.get("SDOCKER_DOCKER_PORT"));

    DescribeExecutionResponse done = fixture.awaitEnd(fixture.executionArn(id.value()), Duration.ofSeconds(20));
    assertEquals(ExecutionStatus.FAILED, done.status());
    assertEquals("ProvisioningFailed", done.error());
    assertTrue(done.cause().contains(other) && done.cause().contains("no pool host"), done.cause());
    assertFalse(hosts.instance(other).orElseThrow().tags().containsKey(HostTags.OWNER), "the stranger was not adopted");
    assertEquals(List.of(pooled.instanceId()), fleet.pooled().stream().map(HostInstance::instanceId).toList(),
        "the pool host is untouched");
  }

  @Test
  void aRequestForAnotherVolumeSizeIsNotClaimed() throws Exception {
    HostId id = startExecution("big", 200);

    HostInstance launched = fixture.awaitInstance(id);
    assertEquals(1, fleet.pooled().size());
    assertEquals("200", launched.tags().get(HostTags.VOLUME_GIB));
  }
}

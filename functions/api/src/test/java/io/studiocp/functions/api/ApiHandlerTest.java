package io.studiocp.functions.api;

import static io.studiocp.functions.api.ApiCalls.as;
import static io.studiocp.functions.api.ApiCalls.header;
import static io.studiocp.functions.api.ApiCalls.host;
import static io.studiocp.functions.api.ApiCalls.sample;
import static io.studiocp.testkit.AwsTestWorld.ADMIN_ROLE;
import static io.studiocp.testkit.AwsTestWorld.assumedRole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.functions.api.ApiCalls.Reply;
import io.studiocp.platform.lambda.FunctionLog;
import io.studiocp.testkit.AwsTestWorld;
import io.studiocp.testkit.CapturedLogs;
import io.studiocp.testkit.WorkflowFixture;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.aws.Ec2Hosts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** The API through its sample events, with the real workflow behind it. */
@ExtendWith(MotoExtension.class)
class ApiHandlerTest {

  private static final String SAMPLE_HOST = "h-8cfec34e4c82aa14";
  private static final String BOB = assumedRole("studio-bob");

  private final MotoServer moto;
  private WorkflowFixture fixture;
  private ApiCalls api;
  private Ec2Hosts hosts;

  ApiHandlerTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void start() {
    fixture = WorkflowFixture.start(moto, Duration.ofSeconds(120), Duration.ofSeconds(120), ApiCalls.PROVISION_STEPS);
    api = new ApiCalls(new ApiHandler(fixture.env()));
    hosts = new Ec2Hosts(fixture.world.ec2);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }


  private static APIGatewayProxyRequestEvent requestWithKey(String key) {
    return header(sample("api-request-host.json"), "Idempotency-Key", key);
  }

  @Test
  void eachRequestLogsOneLineWithMethodRouteStatusDurationAndActor() {
    ApiCalls named = new ApiCalls(new ApiHandler(fixture.env().with(FunctionLog.SERVICE_NAME, "studiocp-api")));
    try (CapturedLogs logs = CapturedLogs.start()) {
      assertEquals(202, named.send(sample("api-request-host.json"), "req-created").status());
      assertEquals(404, named.send(host(sample("api-describe-host.json"), "h-0000000000000000"), "req-missing").status());

      JsonNode created = requestLine(logs, "req-created");
      assertEquals("studiocp-api", created.path("service").asText());
      assertEquals("POST", created.path("method").asText());
      assertEquals("/hosts", created.path("route").asText());
      assertEquals("202", created.path("status").asText());
      assertTrue(created.path("duration_ms").asText().matches("\\d+"), created.toString());
      assertEquals(AwsTestWorld.DOMAIN + "/alice", created.path("actor").asText());

      JsonNode missing = requestLine(logs, "req-missing");
      assertEquals("GET", missing.path("method").asText());
      assertEquals("/hosts/{hostId}", missing.path("route").asText());
      assertEquals("404", missing.path("status").asText());
      assertTrue(logs.ofRequest("req-missing").stream().allMatch(l -> l.path("service").asText().equals("studiocp-api")));
    }
  }

  /** The one line of an invocation that has a route and a status. */
  private static JsonNode requestLine(CapturedLogs logs, String requestId) {
    List<JsonNode> lines = logs.ofRequest(requestId).stream().filter(l -> l.has("route")).toList();
    assertEquals(1, lines.size(), "one line per request: " + logs.ofRequest(requestId));
    return lines.getFirst();
  }

  @Test
  void theSampleRequestStartsProvisioningAndAnswersAtOnce() {
    Reply reply = api.send(sample("api-request-host.json"));

    assertEquals(202, reply.status(), reply.body().toString());
    JsonNode host = reply.body();
    assertEquals(SAMPLE_HOST, host.get("hostId").asText());
    assertEquals("PROVISIONING", host.get("state").asText());
    assertEquals("m5.xlarge", host.get("instanceType").asText());
    assertEquals(1111, host.get("dockerPort").asInt());
    assertEquals("/home/sagemaker-user/.sdocker/hosts/" + SAMPLE_HOST, host.get("certDirectory").asText());
    assertEquals("[8888]", host.get("extraPorts").toString());
    assertEquals("alice", host.at("/owner/userProfileName").asText());
    assertEquals(ExecutionStatus.RUNNING, fixture.sfn.describeExecution(
        r -> r.executionArn(fixture.executionArn(SAMPLE_HOST))).status());
  }

  @Test
  void aRetriedRequestGetsTheSameHostAndNeverASecondOne() throws Exception {
    String first = api.send(sample("api-request-host.json")).body().get("hostId").asText();
    fixture.awaitInstance(new HostId(first));
    Reply retry = api.send(sample("api-request-host.json"));

    assertEquals(202, retry.status());
    assertEquals(first, retry.body().get("hostId").asText());
    assertEquals(1, fixture.sfn.listExecutions(r -> r.stateMachineArn(fixture.stateMachineArn)).executions().size());
    assertEquals(1, hosts.all().size());
  }

  @Test
  void jsonIsJsonInAnyCaseAndWithTheUtf8Charset() {
    Reply reply = api.send(header(sample("api-request-host.json"), "Content-Type", "Application/JSON; charset=\"UTF-8\""));

    assertEquals(202, reply.status(), reply.body().toString());
  }

  @Test
  void reusingAKeyForAnotherRequestIsAConflict() {
    api.send(sample("api-request-host.json"));
    APIGatewayProxyRequestEvent other = sample("api-request-host.json");
    other.setBody("{\"instanceType\": \"c5.large\"}");

    Reply reply = api.send(other);
    assertEquals(409, reply.status());
    assertEquals("IdempotencyKeyReused", reply.error());
  }

  @Test
  void describeListAndTerminateTheSampleHost() throws Exception {
    api.send(sample("api-request-host.json"));
    HostInstance instance = fixture.awaitInstance(new HostId(SAMPLE_HOST));

    Reply described = api.send(sample("api-describe-host.json"));
    assertEquals(200, described.status());
    assertEquals(instance.instanceId(), described.body().get("instanceId").asText());

    Reply listed = api.send(sample("api-list-hosts.json"));
    assertEquals(200, listed.status());
    assertEquals(List.of(SAMPLE_HOST), ids(listed));

    Reply terminated = api.send(sample("api-terminate-host.json"));
    assertEquals(202, terminated.status());
    assertEquals("TERMINATING", terminated.body().get("state").asText());
    assertTrue(hosts.instance(instance.instanceId()).orElseThrow().isGone());
    assertEquals(ExecutionStatus.ABORTED, fixture.awaitEnd(fixture.executionArn(SAMPLE_HOST), Duration.ofSeconds(10)).status());
    assertEquals("TERMINATED", api.send(sample("api-describe-host.json")).body().get("state").asText());
    assertEquals(202, api.send(sample("api-terminate-host.json")).status(), "terminating twice is fine");
  }

  @Test
  void aReadyHostShowsWhereDockerListens() throws Exception {
    api.send(sample("api-request-host.json"));
    HostInstance instance = fixture.awaitInstance(new HostId(SAMPLE_HOST));
    String token = hosts.taskTokenOf(instance.instanceId()).orElseThrow();
    fixture.sfn.sendTaskSuccess(r -> r.taskToken(token).output("{\"hostId\":\"" + SAMPLE_HOST + "\",\"instanceId\":\""
        + instance.instanceId() + "\",\"privateDnsName\":\"" + instance.privateDnsName()
        + "\",\"dockerPort\":" + instance.tags().get(HostTags.DOCKER_PORT) + "}"));
    fixture.awaitEnd(fixture.executionArn(SAMPLE_HOST), Duration.ofSeconds(20));

    JsonNode host = api.send(sample("api-describe-host.json")).body();
    assertEquals("READY", host.get("state").asText());
    assertEquals("tcp://" + instance.privateIpAddress() + ":" + instance.tags().get(HostTags.DOCKER_PORT),
        host.get("dockerEndpoint").asText());
    assertTrue(host.has("readyAt"));
    double running = host.get("hourlyUsd").asDouble();
    int volume = host.get("volumeGiB").asInt();
    assertTrue(volume > 0 && running > 0.1, "instance and volume: " + host);
    // A long poll on a host that is not on its way anywhere answers as a plain describe does.
    assertEquals(host, api.send(sample("api-describe-host.json").withQueryStringParameters(
        Map.of("waitSeconds", "20"))).body());

    // Stopped: only its volume costs now, and the list says so too.
    Reply stopped = api.send(sample("api-stop-host.json"));
    assertEquals(202, stopped.status(), stopped.body().toString());
    assertEquals("STOPPED", stopped.body().get("state").asText());
    double volumeOnly = stopped.body().get("hourlyUsd").asDouble();
    assertEquals(volume * 0.08 / 730, volumeOnly, 0.0001);
    JsonNode listed = api.send(sample("api-list-hosts.json")).body().get("hosts").get(0);
    assertEquals("STOPPED", listed.get("state").asText());
    assertEquals(volumeOnly, listed.get("hourlyUsd").asDouble());
  }

  @Test
  void anotherUsersHostIsInvisibleAndCannotBeTerminated() throws Exception {
    api.send(sample("api-request-host.json"));
    HostInstance instance = fixture.awaitInstance(new HostId(SAMPLE_HOST));

    Reply seen = api.send(as(sample("api-describe-host.json"), BOB, "bob"));
    assertEquals(404, seen.status());
    Reply killed = api.send(as(sample("api-terminate-host.json"), BOB, "bob"));
    assertEquals(404, killed.status());
    assertFalse(hosts.instance(instance.instanceId()).orElseThrow().isGone(), "alice's host lives on");
    assertEquals(List.of(), ids(api.send(as(sample("api-list-hosts.json"), BOB, "bob"))));
    assertEquals(403, api.send(as(sample("api-list-hosts.json"), BOB, "bob")
        .withQueryStringParameters(Map.of("owner", "d-sandbox0001/alice"))).status());
  }

  @Test
  void anAdminSeesEveryoneAndMayTerminateAnyHost() throws Exception {
    api.send(sample("api-request-host.json"));
    api.send(as(requestWithKey("bobs-host"), BOB, "bob"));
    fixture.awaitInstance(new HostId(SAMPLE_HOST));

    // AdminPrincipals names the role; any session of it is an admin.
    assertTrue(ADMIN_ROLE.endsWith(":role/platform-admin"));
    APIGatewayProxyRequestEvent all = as(sample("api-list-hosts.json"),
        "arn:aws:sts::123456789012:assumed-role/platform-admin/console", null)
        .withQueryStringParameters(Map.of("all", "true"));
    Reply everything = api.send(all);
    assertEquals(200, everything.status(), everything.body().toString());
    assertEquals(2, ids(everything).size());

    String admin = assumedRole("platform-admin");
    assertEquals(200, api.send(as(sample("api-describe-host.json"), admin, null)).status());
    assertEquals(List.of(SAMPLE_HOST), ids(api.send(as(sample("api-list-hosts.json"), admin, null)
        .withQueryStringParameters(Map.of("owner", "d-sandbox0001/alice")))));
    assertEquals(202, api.send(as(sample("api-terminate-host.json"), admin, null)).status());
  }

  @Test
  void theLimitCountsHostsStillInProvisioning() {
    String first = api.send(requestWithKey("one")).body().get("hostId").asText();
    String second = api.send(requestWithKey("two")).body().get("hostId").asText();
    assertNotEquals(first, second);

    Reply third = api.send(requestWithKey("three"));
    assertEquals(409, third.status());
    assertEquals("HostLimitExceeded", third.error());
    assertTrue(third.message().contains(first) && third.message().contains(second), third.message());
    assertEquals(2, fixture.sfn.listExecutions(r -> r.stateMachineArn(fixture.stateMachineArn)).executions().size());
  }

  /**
   * The limit is read, then acted on: requests at once all read "none yet". Each must also take one
   * of the user's slots, which EC2 refuses to make twice, so no more than the limit get through.
   */
  @Test
  void twentyRequestsAtOnceGetNoMoreHostsThanTheLimit() throws Exception {
    List<Reply> replies = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
      List<Future<Reply>> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String key = "burst-" + i;
        sent.add(pool.submit(() -> {
          go.await();
          return api.send(requestWithKey(key));
        }));
      }
      go.countDown();
      for (Future<Reply> reply : sent) {
        replies.add(reply.get(60, TimeUnit.SECONDS));
      }
    }
    List<Reply> accepted = replies.stream().filter(r -> r.status() == 202).toList();
    assertEquals(2, accepted.size(), replies.toString());
    replies.stream().filter(r -> r.status() != 202).forEach(r -> {
      assertEquals(409, r.status(), r.body().toString());
      assertEquals("HostLimitExceeded", r.error());
    });
    assertEquals(2, fixture.sfn.listExecutions(r -> r.stateMachineArn(fixture.stateMachineArn)).executions().size());
    assertEquals(2, fixture.world.ec2.describeSecurityGroups().securityGroups().stream()
        .filter(g -> g.groupName().startsWith("studiocp-slot-")).count(), "one slot per host");
  }

  private static List<String> ids(Reply reply) {
    return StreamSupport.stream(reply.body().get("hosts").spliterator(), false)
        .map(h -> h.get("hostId").asText()).sorted().toList();
  }
}

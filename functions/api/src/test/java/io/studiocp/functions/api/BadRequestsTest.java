package io.studiocp.functions.api;

import static io.studiocp.functions.api.ApiCalls.as;
import static io.studiocp.functions.api.ApiCalls.header;
import static io.studiocp.functions.api.ApiCalls.host;
import static io.studiocp.functions.api.ApiCalls.sample;
import static io.studiocp.testkit.AwsTestWorld.assumedRole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.functions.api.ApiCalls.Reply;
import io.studiocp.testkit.WorkflowFixture;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request a caller can get wrong: each is answered with a 4xx and a message naming what to
 * change, and none of them creates anything (no instance, no security group, no execution).
 */
@ExtendWith(MotoExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestsTest {

  private WorkflowFixture fixture;
  private ApiCalls api;
  private String subnetOutsideDomain;

  @BeforeAll
  void start(MotoServer moto) {
    fixture = WorkflowFixture.start(moto, Duration.ofSeconds(60), Duration.ofSeconds(60), ApiCalls.PROVISION_STEPS);
    api = new ApiCalls(new ApiHandler(fixture.env()));
    subnetOutsideDomain = fixture.world.ec2.createSubnet(r -> r.vpcId(fixture.world.vpcId)
        .cidrBlock("10.20.9.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
  }

  @AfterAll
  void stop() {
    fixture.close();
  }

  private static Arguments post(String body, int status, String named) {
    return row("POST /hosts " + body, e -> withBody(e, body), "api-request-host.json", status, named);
  }

  private static Arguments row(String name, UnaryOperator<APIGatewayProxyRequestEvent> change, String sample,
      int status, String named) {
    return Arguments.of(name, (Function<BadRequestsTest, APIGatewayProxyRequestEvent>) t -> change.apply(sample(sample)),
        status, named);
  }

  /** A row whose request needs something of this test's world (an id moto made up). */
  private static Arguments rowUsing(String name, BiFunction<BadRequestsTest,
      APIGatewayProxyRequestEvent, APIGatewayProxyRequestEvent> change, String sample, int status, String named) {
    return Arguments.of(name, (Function<BadRequestsTest, APIGatewayProxyRequestEvent>) t -> change.apply(t, sample(sample)),
        status, named);
  }

  private static APIGatewayProxyRequestEvent withBody(APIGatewayProxyRequestEvent event, String body) {
    event.setBody(body);
    return event;
  }

  Stream<Arguments> badRequests() {
    return Stream.of(
        row("POST /hosts without a body", e -> withBody(e, null), "api-request-host.json", 400, "body"),
        post("{\"instanceType\": ", 400, "not one valid JSON document"),
        post("{\"instanceType\": \"bogus\", \"instanceType\": \"m5.large\"}", 400, "\"instanceType\" appears more than once"),
        post("{\"instanceType\": \"m5.large\", \"extraPorts\": [9000], \"extraPorts\": [22]}", 400, "\"extraPorts\""),
        post("{\"instanceType\": \"m5.large\"} garbage", 400, "more after the JSON document"),
        post("{\"instanceType\": \"m5.large\"}{\"instanceType\": \"c5.large\"}", 400, "exactly one document"),
        post("{\"instanceType\": \"m5.large\"}\n[]", 400, "exactly one document"),
        row("POST /hosts as text/plain", e -> header(e, "Content-Type", "text/plain"), "api-request-host.json", 415,
            "Content-Type text/plain is not JSON"),
        row("POST /hosts without a Content-Type", e -> header(e, "Content-Type", null), "api-request-host.json", 415,
            "no Content-Type"),
        row("POST /hosts as form data", e -> header(e, "Content-Type", "application/x-www-form-urlencoded"),
            "api-request-host.json", 415, "application/json"),
        row("POST /hosts as JSON in Latin-1", e -> header(e, "Content-Type", "application/json; charset=ISO-8859-1"),
            "api-request-host.json", 415, "UTF-8"),
        row("POST /hosts with a body that is not base64", e -> { e.setIsBase64Encoded(true); e.setBody("{not base64}");
            return e; }, "api-request-host.json", 400, "base64"),
        row("POST /hosts without an Idempotency-Key", e -> header(e, "Idempotency-Key", null),
            "api-request-host.json", 400, "Idempotency-Key"),
        row("DELETE /hosts/{id} without an Idempotency-Key", e -> header(e, "Idempotency-Key", null),
            "api-terminate-host.json", 400, "Idempotency-Key"),
        post("[\"m5.xlarge\"]", 400, "JSON object"),
        post("{}", 400, "instanceType"),
        post("{\"instanceType\": 5}", 400, "instanceType"),
        post("{\"instanceType\": \"ml.m5.xlarge\"}", 400, "instanceType"),
        post("{\"instanceType\": \"M5.XLARGE\"}", 400, "instanceType"),
        post("{\"instanceType\": \"p4d.24xlarge\"}", 400, "instanceType"),
        post("{\"instanceType\": \"m5.huge\"}", 400, "instanceType"),
        post("{\"instanceType\": \"g5g.xlarge\"}", 400, "instanceType"),
        post("{\"instanceType\": \"inf2.xlarge\"}", 400, "instanceType"),
        post("{\"instanceType\": \"m5.xlarge\", \"color\": \"red\"}", 400, "color"),
        post("{\"instanceType\": \"m5.xlarge\", \"subnetId\": \"subnet-xyz\"}", 400, "subnetId"),
        post("{\"instanceType\": \"m5.xlarge\", \"subnetId\": \"subnet-0123456789abcdef0\"}", 400, "subnetId"),
        rowUsing("POST /hosts in a subnet outside the domain", (t, e) -> withBody(e,
            "{\"instanceType\": \"m5.xlarge\", \"subnetId\": \"" + t.subnetOutsideDomain + "\"}"),
            "api-request-host.json", 400, "subnetId"),
        post("{\"instanceType\": \"m5.xlarge\", \"volumeGiB\": 10}", 400, "volumeGiB"),
        post("{\"instanceType\": \"m5.xlarge\", \"volumeGiB\": 100000}", 400, "volumeGiB"),
        post("{\"instanceType\": \"m5.xlarge\", \"volumeGiB\": \"100\"}", 400, "volumeGiB"),
        post("{\"instanceType\": \"m5.xlarge\", \"volumeGiB\": 50.5}", 400, "volumeGiB"),
        post("{\"instanceType\": \"m5.xlarge\", \"ttlHours\": 0}", 400, "ttlHours"),
        post("{\"instanceType\": \"m5.xlarge\", \"ttlHours\": 1000}", 400, "ttlHours"),
        post("{\"instanceType\": \"m5.xlarge\", \"extraPorts\": 8888}", 400, "extraPorts"),
        post("{\"instanceType\": \"m5.xlarge\", \"extraPorts\": [80]}", 400, "extraPorts"),
        post("{\"instanceType\": \"m5.xlarge\", \"extraPorts\": [1111]}", 400, "extraPorts"),
        post("{\"instanceType\": \"m5.xlarge\", \"extraPorts\": [8080]}", 400, "extraPorts"),
        post("{\"instanceType\": \"m5.xlarge\", \"extraPorts\": [9001, 9002, 9003, 9004, 9005, 9006]}", 400, "extraPorts"),
        post("{\"instanceType\": \"m5.xlarge\", \"extraPorts\": [9000, 9000]}", 400, "extraPorts"),
        post("{\"instanceType\": \"m5.xlarge\", \"extraPorts\": [\"9000\"]}", 400, "extraPorts"),
        row("POST /hosts with a bad Idempotency-Key", e -> header(e, "Idempotency-Key", "not a key!"),
            "api-request-host.json", 400, "Idempotency-Key"),
        row("POST /hosts with a 65-character Idempotency-Key", e -> header(e, "Idempotency-Key", "k".repeat(65)),
            "api-request-host.json", 400, "Idempotency-Key"),
        row("POST /hosts with a domain but no profile", e -> header(e, "X-Studio-User-Profile", null),
            "api-request-host.json", 400, "X-Studio-User-Profile"),
        row("POST /hosts with a malformed domain id", e -> header(e, "X-Studio-Domain-Id", "sandbox"),
            "api-request-host.json", 400, "X-Studio-Domain-Id"),
        row("POST /hosts claiming another user's profile", e -> header(e, "X-Studio-User-Profile", "bob"),
            "api-request-host.json", 403, "user profile d-sandbox0001/bob"),
        row("POST /hosts in a domain this control plane does not manage",
            e -> header(e, "X-Studio-Domain-Id", "d-elsewhere"), "api-request-host.json", 403, "domain d-elsewhere"),
        row("POST /hosts without any Studio user", e -> as(e, assumedRole("platform-admin"), null),
            "api-request-host.json", 400, "X-Studio-User-Profile"),
        row("POST /hosts unsigned", e -> as(e, null, "alice"), "api-request-host.json", 403, "not signed"),
        row("POST /hosts with a query", e -> e.withQueryStringParameters(Map.of("dryRun", "true")),
            "api-request-host.json", 400, "dryRun"),
        row("GET /hosts?all=maybe", e -> e.withQueryStringParameters(Map.of("all", "maybe")),
            "api-list-hosts.json", 400, "all"),
        row("GET /hosts?all=true by a user", e -> e.withQueryStringParameters(Map.of("all", "true")),
            "api-list-hosts.json", 403, "all=true"),
        row("GET /hosts?owner=alice", e -> e.withQueryStringParameters(Map.of("owner", "alice")),
            "api-list-hosts.json", 400, "owner"),
        row("GET /hosts?color=red", e -> e.withQueryStringParameters(Map.of("color", "red")),
            "api-list-hosts.json", 400, "color"),
        row("GET /hosts/i-123", e -> host(e, "i-123"), "api-describe-host.json", 400, "hostId"),
        row("GET /hosts/{unknown}", e -> host(e, "h-0000000000000000"), "api-describe-host.json", 404, "h-0000000000000000"),
        row("GET /hosts/{id}?waitSeconds=0", e -> e.withQueryStringParameters(Map.of("waitSeconds", "0")),
            "api-describe-host.json", 400, "waitSeconds: must be a whole number of seconds from 1 to 20, got '0'"),
        row("GET /hosts/{id}?waitSeconds=21", e -> e.withQueryStringParameters(Map.of("waitSeconds", "21")),
            "api-describe-host.json", 400, "from 1 to 20, got '21'"),
        row("GET /hosts/{id}?waitSeconds=2.5", e -> e.withQueryStringParameters(Map.of("waitSeconds", "2.5")),
            "api-describe-host.json", 400, "waitSeconds"),
        row("GET /hosts/{id}?wait=5", e -> e.withQueryStringParameters(Map.of("wait", "5")),
            "api-describe-host.json", 400, "this call takes waitSeconds"),
        row("GET /hosts/{unknown}?waitSeconds=20", e -> host(e, "h-0000000000000000").withQueryStringParameters(
            Map.of("waitSeconds", "20")), "api-describe-host.json", 404, "h-0000000000000000"),
        row("DELETE /hosts/not-a-host", e -> host(e, "not-a-host"), "api-terminate-host.json", 400, "hostId"),
        // The lifecycle routes: a bad host id, an unknown host, a bad or missing ttlHours, no key.
        row("POST /hosts/not-a-host/stop", e -> host(e, "not-a-host"), "api-stop-host.json", 400, "hostId"),
        row("POST /hosts/{unknown}/stop", e -> host(e, "h-0000000000000000"), "api-stop-host.json", 404,
            "h-0000000000000000"),
        row("POST /hosts/{id}/stop without an Idempotency-Key", e -> header(e, "Idempotency-Key", null),
            "api-stop-host.json", 400, "Idempotency-Key"),
        row("POST /hosts/{id}/stop with a body", e -> withBody(e, "{\"force\": true}"), "api-stop-host.json", 400,
            "force"),
        row("POST /hosts/{unknown}/start", e -> host(e, "h-0000000000000000"), "api-start-host.json", 404,
            "h-0000000000000000"),
        row("POST /hosts/i-123/start", e -> host(e, "i-123"), "api-start-host.json", 400, "hostId"),
        row("POST /hosts/{id}/start with a body as text/plain", e -> header(withBody(e, "ttl=4"), "Content-Type",
            "text/plain"), "api-start-host.json", 415, "application/json"),
        row("POST /hosts/{id}/start with an array", e -> withBody(e, "[]"), "api-start-host.json", 400, "array"),
        row("DELETE /hosts/{id} with a body", e -> withBody(e, "{\"force\": true}"), "api-terminate-host.json", 400,
            "force"),
        row("POST /hosts/{id}/extend without a body", e -> withBody(e, null), "api-extend-host.json", 400, "ttlHours"),
        row("POST /hosts/{id}/extend {}", e -> withBody(e, "{}"), "api-extend-host.json", 400, "ttlHours"),
        row("POST /hosts/{id}/extend ttlHours 0", e -> withBody(e, "{\"ttlHours\": 0}"), "api-extend-host.json", 400,
            "ttlHours"),
        row("POST /hosts/{id}/extend ttlHours \"4\"", e -> withBody(e, "{\"ttlHours\": \"4\"}"), "api-extend-host.json",
            400, "ttlHours"),
        row("POST /hosts/{id}/extend ttlHours 2.5", e -> withBody(e, "{\"ttlHours\": 2.5}"), "api-extend-host.json", 400,
            "ttlHours"),
        row("POST /hosts/{id}/extend ttlHours past MaxTtlHours", e -> withBody(e, "{\"ttlHours\": 100000}"),
            "api-extend-host.json", 400, "ttlHours"),
        row("POST /hosts/{id}/extend with ttlHours twice", e -> withBody(e, "{\"ttlHours\": 1, \"ttlHours\": 900}"),
            "api-extend-host.json", 400, "ttlHours"),
        row("POST /hosts/{id}/extend with an unknown field", e -> withBody(e, "{\"ttlHours\": 4, \"hours\": 4}"),
            "api-extend-host.json", 400, "hours"),
        row("POST /hosts/{unknown}/extend", e -> host(e, "h-0000000000000000"), "api-extend-host.json", 404,
            "h-0000000000000000"),
        row("POST /hosts/{id}/extend without an Idempotency-Key", e -> header(e, "Idempotency-Key", null),
            "api-extend-host.json", 400, "Idempotency-Key"),
        row("PUT /hosts", e -> { e.setHttpMethod("PUT"); return e; }, "api-list-hosts.json", 405, "PUT"),
        row("GET /nowhere", e -> { e.setResource("/nowhere"); e.setPath("/nowhere"); return e; },
            "api-list-hosts.json", 404, "/nowhere"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void isRefusedClearlyAndChangesNothing(String name, Function<BadRequestsTest, APIGatewayProxyRequestEvent> request,
      int status, String named) {
    Reply reply = api.send(request.apply(this));

    assertEquals(status, reply.status(), reply.body().toString());
    assertFalse(reply.error().isBlank(), "an error code");
    assertTrue(reply.message().contains(named), "'" + reply.message() + "' should name " + named);
    assertFalse(reply.body().toString().contains("Exception"), "no internals: " + reply.body());
    assertEquals(0, fixture.world.ec2.describeInstances().reservations().size(), "no instance");
    assertEquals(0, fixture.sfn.listExecutions(r -> r.stateMachineArn(fixture.stateMachineArn)).executions().size(),
        "no execution");
    assertEquals(0, fixture.world.ec2.describeSecurityGroups().securityGroups().stream()
        .filter(g -> g.groupName().startsWith("studiocp-")).count(), "no security group");
  }
}

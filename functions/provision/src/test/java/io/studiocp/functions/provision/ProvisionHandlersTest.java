package io.studiocp.functions.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostState;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.aws.Ec2Hosts;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.platform.lambda.FunctionLog;
import io.studiocp.testkit.AwsTestWorld;
import io.studiocp.testkit.CapturedLogs;
import io.studiocp.testkit.RepositoryFiles;
import io.studiocp.testkit.WorkflowFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each step handler with its sample event from events/, as an admin would test it in the console. */
@ExtendWith(MotoExtension.class)
class ProvisionHandlersTest {

  private final MotoServer moto;
  private WorkflowFixture fixture;

  ProvisionHandlersTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void start() {
    fixture = WorkflowFixture.start(moto, Duration.ofSeconds(30), Duration.ofSeconds(60),
        WorkflowFixture.Steps.of(PrepareHandler::new, LaunchHandler::new, MarkReadyHandler::new,
        CompensateHandler::new));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private static JsonNode invoke(RequestStreamHandler handler, JsonNode event) throws Exception {
    return invoke(handler, event, null);
  }

  /** Invokes the handler as Lambda would, with this request id (a fresh one when null). */
  private static JsonNode invoke(RequestStreamHandler handler, JsonNode event, String requestId) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LocalContext context = requestId == null ? new LocalContext("test") : new LocalContext("test", requestId);
    handler.handleRequest(new ByteArrayInputStream(Json.mapper().writeValueAsBytes(event)), out, context);
    return Json.mapper().readTree(out.toByteArray());
  }

  private static ObjectNode sample(String name) throws Exception {
    return (ObjectNode) Json.mapper().readTree(RepositoryFiles.event(name));
  }

  @Test
  void theSampleEventsDriveEachStep() throws Exception {
    JsonNode plan = invoke(new PrepareHandler(fixture.env()), sample("provision-prepare.json"));
    assertEquals("h-8cfec34e4c82aa14", plan.get("hostId").asText());
    assertTrue(fixture.world.subnetIds.contains(plan.get("subnetId").asText()));
    assertEquals(200001, plan.get("uid").asInt());
    assertEquals(2, plan.get("securityGroupIds").size(), "the domain's host group and the host's own for 8888");
    assertEquals("2026-11-23T18:00:00Z", plan.get("expiresAt").asText());

    ObjectNode launch = sample("provision-launch.json");
    ObjectNode samplePlan = (ObjectNode) launch.get("plan");
    for (String field : new String[] {"subnetId", "availabilityZone", "imageId", "securityGroupIds", "mounts"}) {
      samplePlan.set(field, plan.get(field));  // this world's ids instead of the sample's
    }
    JsonNode launched = invoke(new LaunchHandler(fixture.env()), launch);
    String instanceId = launched.get("instanceId").asText();
    Ec2Hosts hosts = new Ec2Hosts(fixture.world.ec2);
    HostInstance instance = hosts.instance(instanceId).orElseThrow();
    assertEquals("h-8cfec34e4c82aa14", instance.tags().get(HostTags.HOST_ID));
    assertEquals(launch.get("taskToken").asText(), hosts.taskTokenOf(instanceId).orElseThrow());

    ObjectNode markReady = sample("provision-mark-ready.json");
    ((ObjectNode) markReady.get("ready")).put("instanceId", instanceId).put("privateDnsName", instance.privateDnsName());
    JsonNode ready = invoke(new MarkReadyHandler(fixture.env()), markReady);
    assertEquals("tcp://" + instance.privateIpAddress() + ":" + markReady.at("/plan/dockerPort").asInt(),
        ready.get("dockerEndpoint").asText(), "the address EC2 gives the instance, never the report's");
    assertEquals(HostState.READY, hosts.instance(instanceId).orElseThrow().state());

    JsonNode failure = invoke(new CompensateHandler(fixture.env()), sample("provision-compensate.json"));
    assertEquals("HostBootstrapFailed", failure.get("error").asText());
    assertTrue(failure.get("cause").asText().contains("pip: command not found"));
    HostInstance compensated = hosts.instance(instanceId).orElseThrow();
    assertTrue(compensated.isGone());
    assertEquals(HostState.FAILED, compensated.state());
    assertTrue(compensated.toHost().failureReason().startsWith("step 'pre-bootstrap' failed"));
  }

  @Test
  void eachStepLogsOneLineWithItsOutcomeAndDuration() throws Exception {
    Env named = fixture.env().with(FunctionLog.SERVICE_NAME, "studiocp-prepare");
    try (CapturedLogs logs = CapturedLogs.start()) {
      invoke(new PrepareHandler(named), sample("provision-prepare.json"), "Prepare-ok");
      ObjectNode unknownDomain = sample("provision-prepare.json");
      ((ObjectNode) unknownDomain.get("owner")).put("domainId", "d-nosuchdomain0");
      assertThrows(RuntimeException.class, () -> invoke(new PrepareHandler(named), unknownDomain, "Prepare-failed"));

      JsonNode ok = summary(logs, "Prepare-ok");
      assertEquals("studiocp-prepare", ok.path("service").asText());
      assertEquals("Prepare", ok.path("step").asText());
      assertEquals("ok", ok.path("outcome").asText());
      assertEquals("h-8cfec34e4c82aa14", ok.path("host_id").asText());
      assertTrue(ok.path("duration_ms").asText().matches("\\d+"), ok.toString());
      assertFalse(ok.has("error"));

      JsonNode failed = summary(logs, "Prepare-failed");
      assertEquals("failed", failed.path("outcome").asText());
      assertFalse(failed.path("error").asText().isEmpty(), failed.toString());
      assertTrue(logs.ofRequest("Prepare-failed").stream().allMatch(l -> l.path("service").asText().equals("studiocp-prepare")));
      // The summary's fields are its own: no other line carries them.
      assertEquals(2, logs.lines().stream().filter(l -> l.has("step")).count());
    }
  }

  /** The one line of an invocation that has a step and an outcome. */
  private static JsonNode summary(CapturedLogs logs, String requestId) {
    List<JsonNode> lines = logs.ofRequest(requestId).stream().filter(l -> l.has("step")).toList();
    assertEquals(1, lines.size(), "one summary line per invocation: " + logs.ofRequest(requestId));
    return lines.getFirst();
  }

  @Test
  void theSamplesNameTheDomainTheTestsUse() throws Exception {
    assertEquals(AwsTestWorld.DOMAIN, sample("provision-prepare.json").at("/owner/domainId").asText());
    assertTrue(sample("provision-launch.json").at("/plan/mounts") instanceof ArrayNode);
  }
}

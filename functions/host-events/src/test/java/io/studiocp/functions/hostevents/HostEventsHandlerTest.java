package io.studiocp.functions.hostevents;

import static io.studiocp.testkit.AwsTestWorld.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.functions.provision.CompensateHandler;
import io.studiocp.functions.provision.LaunchHandler;
import io.studiocp.functions.provision.MarkReadyHandler;
import io.studiocp.functions.provision.PrepareHandler;
import io.studiocp.testkit.CapturedLogs;
import io.studiocp.testkit.RepositoryFiles;
import io.studiocp.testkit.WorkflowFixture;
import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostRequest;
import io.studiocp.hosts.HostState;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.ProvisioningInput;
import io.studiocp.hosts.aws.Ec2HostLauncher;
import io.studiocp.hosts.aws.Ec2Hosts;
import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.hosts.provisioning.LaunchHost;
import io.studiocp.hosts.provisioning.LaunchPlan;
import io.studiocp.hosts.provisioning.LaunchRequest;
import io.studiocp.platform.Json;
import java.time.Duration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** EC2 state changes, from the sample events, against a running provisioning workflow. */
@ExtendWith(MotoExtension.class)
class HostEventsHandlerTest {

  private final MotoServer moto;
  private WorkflowFixture fixture;
  private HostEventsHandler handler;
  private Ec2Hosts hosts;

  HostEventsHandlerTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void start() {
    fixture = WorkflowFixture.start(moto, Duration.ofSeconds(60), Duration.ofSeconds(60),
        WorkflowFixture.Steps.of(PrepareHandler::new, LaunchHandler::new, MarkReadyHandler::new,
        CompensateHandler::new));
    handler = new HostEventsHandler(fixture.env());
    hosts = new Ec2Hosts(fixture.world.ec2);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** Delivers a sample event, with the instance id replaced, through the Lambda entry point. */
  private String deliver(String sample, String instanceId) throws Exception {
    String path = RepositoryFiles.eventPath(sample).toString();
    ScheduledEvent parsed = EventLoader.loadScheduledEvent(path);
    assertEquals(HostEventsHandler.DETAIL_TYPE, parsed.getDetailType(), "the sample is a real EventBridge event");
    ObjectNode event = (ObjectNode) Json.mapper().readTree(RepositoryFiles.event(sample));
    ((ObjectNode) event.get("detail")).put("instance-id", instanceId);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(Json.mapper().writeValueAsBytes(event)), out,
        new LocalContext("HostEvents"));
    return Json.mapper().readValue(out.toByteArray(), String.class);
  }

  private HostInstance provisioning(String key, List<Integer> extraPorts) throws Exception {
    HostId id = HostId.derive(ALICE, key);
    String input = Json.mapper().writeValueAsString(new ProvisioningInput(id, ALICE,
        new HostRequest("m5.large", null, 60, 2, extraPorts)));
    fixture.sfn.startExecution(r -> r.stateMachineArn(fixture.stateMachineArn).name(id.value()).input(input));
    return fixture.awaitInstance(id);
  }

  private HostInstance ready(String key) throws Exception {
    HostInstance instance = provisioning(key, List.of());
    String token = hosts.taskTokenOf(instance.instanceId()).orElseThrow();
    fixture.sfn.sendTaskSuccess(r -> r.taskToken(token).output("{\"hostId\":\"" + instance.hostId().orElseThrow()
        + "\",\"instanceId\":\"" + instance.instanceId() + "\",\"privateDnsName\":\"" + instance.privateDnsName()
        + "\",\"dockerPort\":" + instance.tags().get(HostTags.DOCKER_PORT) + "}"));
    assertEquals(ExecutionStatus.SUCCEEDED, fixture.awaitEnd(fixture.executionArn(instance.hostId().orElseThrow().value()),
        Duration.ofSeconds(20)).status());
    return instance;
  }

  @Test
  void aHostThatStopsWhileProvisioningFailsItsExecutionAndIsTerminated() throws Exception {
    HostInstance instance = provisioning("stops", List.of());
    fixture.world.ec2.stopInstances(r -> r.instanceIds(instance.instanceId()));

    assertEquals("PROVISIONING_FAILED", deliver("ec2-instance-stopped.json", instance.instanceId()));

    DescribeExecutionResponse done = fixture.awaitEnd(fixture.executionArn(instance.hostId().orElseThrow().value()),
        Duration.ofSeconds(20));
    assertEquals(ExecutionStatus.FAILED, done.status());
    assertEquals("HostLost", done.error());
    assertTrue(done.cause().contains("went stopped before the host was ready"), done.cause());
    assertTrue(hosts.instance(instance.instanceId()).orElseThrow().isGone(), "Compensate terminated it");
  }

  @Test
  void eachEventLogsOneSummaryLineNamingItsOutcome() throws Exception {
    HostInstance instance = provisioning("logged", List.of());
    fixture.world.ec2.terminateInstances(r -> r.instanceIds(instance.instanceId()));
    try (CapturedLogs logs = CapturedLogs.start()) {
      assertEquals("PROVISIONING_FAILED", deliver("ec2-instance-terminated.json", instance.instanceId()));

      // The workflow's own steps log beside it (their threads run on): the handler's lines are HostEvents'.
      List<JsonNode> summaries = logs.lines().stream()
          .filter(l -> l.has("step") && l.path("function_name").asText().equals("HostEvents")).toList();
      assertEquals(1, summaries.size(), logs.lines().toString());
      JsonNode line = summaries.getFirst();
      assertEquals("InstanceStateChange", line.path("step").asText());
      assertEquals(instance.instanceId(), line.path("instance_id").asText());
      assertEquals("terminated", line.path("instance_state").asText());
      assertEquals("PROVISIONING_FAILED", line.path("outcome").asText());
      assertTrue(line.path("duration_ms").asText().matches("\\d+"), line.toString());
    }
  }

  @Test
  void aHostTerminatedWhileProvisioningFailsItsExecution() throws Exception {
    HostInstance instance = provisioning("vanishes", List.of());
    fixture.world.ec2.terminateInstances(r -> r.instanceIds(instance.instanceId()));

    assertEquals("PROVISIONING_FAILED", deliver("ec2-instance-terminated.json", instance.instanceId()));

    DescribeExecutionResponse done = fixture.awaitEnd(fixture.executionArn(instance.hostId().orElseThrow().value()),
        Duration.ofSeconds(20));
    assertEquals("HostLost", done.error());
    assertEquals(HostState.FAILED, hosts.instance(instance.instanceId()).orElseThrow().state());
  }

  @Test
  void aReadyHostThatStopsIsStoppedAndReadyAgainWhenItRuns() throws Exception {
    HostInstance instance = ready("cycle");
    fixture.world.ec2.stopInstances(r -> r.instanceIds(instance.instanceId()));
    assertEquals("NOTED", deliver("ec2-instance-stopped.json", instance.instanceId()));
    assertEquals("STOPPED", hosts.instance(instance.instanceId()).orElseThrow().tags().get(HostTags.STATE));

    fixture.world.ec2.startInstances(r -> r.instanceIds(instance.instanceId()));
    assertEquals("NOTED", deliver("ec2-instance-running.json", instance.instanceId()));
    assertEquals(HostState.READY, hosts.instance(instance.instanceId()).orElseThrow().state());
  }

  @Test
  void anInstanceWhoseExecutionEndedDoesNotLiveOn() throws Exception {
    HostInstance instance = provisioning("orphan", List.of());
    fixture.sfn.stopExecution(r -> r.executionArn(fixture.executionArn(instance.hostId().orElseThrow().value())));
    fixture.awaitEnd(fixture.executionArn(instance.hostId().orElseThrow().value()), Duration.ofSeconds(10));

    assertEquals("ORPHAN_TERMINATED", deliver("ec2-instance-running.json", instance.instanceId()));
    assertTrue(hosts.instance(instance.instanceId()).orElseThrow().isGone());
  }

  /** Delivers an event as it is, through the Lambda entry point. */
  private String deliver(ObjectNode event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(Json.mapper().writeValueAsBytes(event)), out,
        new LocalContext("HostEvents"));
    return Json.mapper().readValue(out.toByteArray(), String.class);
  }

  /**
   * A provisioning stopped from the console (StopExecution) while the instance runs: no EC2 event
   * follows, so the execution's own end event must end the instance, and say why.
   */
  @Test
  void aProvisioningStoppedFromTheConsoleLeavesNoInstanceRunning() throws Exception {
    List<ObjectNode> ended = new CopyOnWriteArrayList<>();
    fixture.stepFunctions.onExecutionEnd(ended::add);
    HostInstance instance = provisioning("console-stop", List.of());
    String arn = fixture.executionArn(instance.hostId().orElseThrow().value());
    fixture.sfn.stopExecution(r -> r.executionArn(arn).cause("stopped from the console"));
    assertEquals(ExecutionStatus.ABORTED, fixture.awaitEnd(arn, Duration.ofSeconds(10)).status());

    ObjectNode event = ended.stream().filter(e -> arn.equals(e.at("/detail/executionArn").asText())).findFirst()
        .orElseThrow(() -> new AssertionError("no end event for " + arn + ": " + ended));
    assertEquals("ABORTED", event.at("/detail/status").asText());
    assertEquals(fixture.stateMachineArn, event.at("/detail/stateMachineArn").asText());
    assertEquals("TERMINATED", deliver(event));

    HostInstance after = hosts.instance(instance.instanceId()).orElseThrow();
    assertTrue(after.isGone(), after.ec2State());
    assertEquals(HostState.FAILED, after.state());
    assertTrue(after.toHost().failureReason().contains("stopped outside the API"), after.toHost().failureReason());
    assertEquals("NOTHING_LEFT", deliver(event), "a redelivered event changes nothing");
  }

  @Test
  void theShippedExecutionEventIsTheShapeTheHandlerReads() throws Exception {
    ObjectNode event = (ObjectNode) Json.mapper().readTree(RepositoryFiles.event("sfn-execution-aborted.json"));
    assertEquals(HostEventsHandler.EXECUTION_DETAIL_TYPE, event.path("detail-type").asText());
    // The sample's host does not exist here: the rule finds nothing to end, and says so.
    ((ObjectNode) event.get("detail")).put("stateMachineArn", fixture.stateMachineArn);
    assertEquals("NOTHING_LEFT", deliver(event));
  }

  @Test
  void aTerminatedHostTakesItsOwnSecurityGroupWithIt() throws Exception {
    HostInstance instance = provisioning("ports", List.of(8888));
    String group = "studiocp-host-" + instance.hostId().orElseThrow().value();
    assertEquals(1, groupsNamed(group));
    fixture.sfn.stopExecution(r -> r.executionArn(fixture.executionArn(instance.hostId().orElseThrow().value())));
    fixture.world.ec2.terminateInstances(r -> r.instanceIds(instance.instanceId()));
    hosts.instance(instance.instanceId());  // moto moves it to terminated on the next read

    deliver("ec2-instance-terminated.json", instance.instanceId());
    assertEquals(0, groupsNamed(group));
  }

  @Test
  void aReplacedAttemptDoesNotTakeTheLivingHostsGroup() throws Exception {
    HostInstance first = provisioning("retried", List.of(8888));
    String group = "studiocp-host-" + first.hostId().orElseThrow().value();
    // A second attempt replaces the first instance (as a retried Launch does); the host lives on.
    new LaunchHost(new HostFleet(hosts, hosts), new Ec2HostLauncher(fixture.world.ec2, fixture.world.hostInstanceProfileArn),
        BootstrapUserData.packaged(), "us-east-1", Optional.empty())
        .launch(new LaunchRequest(planOf(first), "AQsecond-attempt"));
    hosts.instance(first.instanceId());

    deliver("ec2-instance-terminated.json", first.instanceId());
    assertEquals(1, groupsNamed(group), "the new attempt still needs it");
  }

  private LaunchPlan planOf(HostInstance instance) throws Exception {
    String token = hosts.taskTokenOf(instance.instanceId()).orElseThrow();
    String history = fixture.sfn.getExecutionHistory(r -> r.executionArn(
        fixture.executionArn(instance.hostId().orElseThrow().value())).reverseOrder(true)).events().stream()
        .filter(e -> e.taskScheduledEventDetails() != null && e.taskScheduledEventDetails().parameters().contains(token))
        .findFirst().orElseThrow().taskScheduledEventDetails().parameters();
    return Json.mapper().treeToValue(Json.mapper().readTree(history).at("/Payload/plan"),
        LaunchPlan.class);
  }

  private int groupsNamed(String name) {
    return fixture.world.ec2.describeSecurityGroups(r -> r.filters(f -> f.name("group-name").values(name)))
        .securityGroups().size();
  }

  @Test
  void instancesTheControlPlaneDoesNotManageAreIgnored() throws Exception {
    String other = fixture.world.ec2.runInstances(r -> r.imageId("ami-0aae19d30bab785d3").instanceType("t3.micro")
        .minCount(1).maxCount(1)).instances().getFirst().instanceId();
    fixture.world.ec2.stopInstances(r -> r.instanceIds(other));

    assertEquals("IGNORED", deliver("ec2-instance-stopped.json", other));
    assertFalse(hosts.instance(other).orElseThrow().isGone(), "left alone");
    assertEquals("IGNORED", deliver("ec2-instance-stopped.json", "i-0123456789abcdef0"), "unknown instance");
  }
}

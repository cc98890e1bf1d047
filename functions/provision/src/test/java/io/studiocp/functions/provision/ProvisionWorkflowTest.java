package io.studiocp.functions.provision;

import static io.studiocp.testkit.AwsTestWorld.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostRequest;
import io.studiocp.hosts.HostState;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.ProvisioningInput;
import io.studiocp.hosts.aws.Ec2Hosts;
import io.studiocp.platform.Json;
import io.studiocp.testkit.WorkflowFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The whole ProvisionHost workflow (the real definition, the real steps, moto): the test plays
 * the host, reporting back the way bootstrap.sh does.
 */
@ExtendWith(MotoExtension.class)
class ProvisionWorkflowTest {

  private final MotoServer moto;
  private WorkflowFixture fixture;
  private Ec2Hosts hosts;

  ProvisionWorkflowTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void start() {
    fixture = WorkflowFixture.start(moto, Duration.ofSeconds(4), Duration.ofSeconds(60),
        WorkflowFixture.Steps.of(PrepareHandler::new, LaunchHandler::new, MarkReadyHandler::new,
        CompensateHandler::new));
    hosts = new Ec2Hosts(fixture.world.ec2);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private HostId startExecution(String key) throws Exception {
    HostId id = HostId.derive(ALICE, key);
    String input = Json.mapper().writeValueAsString(new ProvisioningInput(id, ALICE,
        new HostRequest("m5.xlarge", null, 60, 2, List.of())));
    fixture.sfn.startExecution(r -> r.stateMachineArn(fixture.stateMachineArn).name(id.value()).input(input));
    return id;
  }


  @Test
  void aHostThatReportsReadyIsTaggedReady() throws Exception {
    HostId id = startExecution("ready");
    HostInstance instance = fixture.awaitInstance(id);
    String token = hosts.taskTokenOf(instance.instanceId()).orElseThrow();
    fixture.sfn.sendTaskHeartbeat(r -> r.taskToken(token));
    String port = instance.tags().get(HostTags.DOCKER_PORT);
    fixture.sfn.sendTaskSuccess(r -> r.taskToken(token).output("{\"hostId\":\"" + id + "\",\"instanceId\":\""
        + instance.instanceId() + "\",\"privateDnsName\":\"" + instance.privateDnsName() + "\",\"dockerPort\":" + port + "}"));

    DescribeExecutionResponse done = fixture.awaitEnd(fixture.executionArn(id.value()), Duration.ofSeconds(20));
    assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.cause());
    JsonNode output = Json.mapper().readTree(done.output());
    assertEquals("tcp://" + instance.privateIpAddress() + ":" + port, output.get("dockerEndpoint").asText(),
        "the address EC2 gives the instance");
    HostInstance ready = hosts.instance(instance.instanceId()).orElseThrow();
    assertEquals(HostState.READY, ready.state());
    assertEquals(instance.privateIpAddress(), ready.tags().get(HostTags.DOCKER_HOST));
  }

  /**
   * A task token is in the instance's user data: whoever reads it can send SendTaskSuccess. A
   * report for the right instance that points elsewhere must not become the user's Docker context.
   */
  @Test
  void aForgedReadyReportWithTheRightTokenDoesNotPointTheContextElsewhere() throws Exception {
    HostId id = startExecution("forged");
    HostInstance instance = fixture.awaitInstance(id);
    String token = hosts.taskTokenOf(instance.instanceId()).orElseThrow();
    fixture.sfn.sendTaskSuccess(r -> r.taskToken(token).output("{\"hostId\":\"" + id + "\",\"instanceId\":\""
        + instance.instanceId() + "\",\"privateDnsName\":\"attacker.example\",\"dockerPort\":2375}"));

    DescribeExecutionResponse done = fixture.awaitEnd(fixture.executionArn(id.value()), Duration.ofSeconds(20));
    assertEquals(ExecutionStatus.FAILED, done.status());
    assertEquals("ProvisioningFailed", done.error());
    assertTrue(done.cause().contains("attacker.example"), done.cause());
    HostInstance after = hosts.instance(instance.instanceId()).orElseThrow();
    assertTrue(after.isGone(), "the instance whose token leaked is terminated: " + after.ec2State());
    assertEquals(HostState.FAILED, after.state());
    assertFalse(after.tags().containsKey(HostTags.DOCKER_HOST), "no address was ever recorded: " + after.tags());
  }

  @Test
  void aHostThatReportsAFailureIsTerminatedWithItsReason() throws Exception {
    HostId id = startExecution("broken");
    HostInstance instance = fixture.awaitInstance(id);
    String token = hosts.taskTokenOf(instance.instanceId()).orElseThrow();
    fixture.sfn.sendTaskFailure(r -> r.taskToken(token).error("BootstrapFailed")
        .cause("step 'pre-bootstrap' failed: pip: command not found"));

    DescribeExecutionResponse done = fixture.awaitEnd(fixture.executionArn(id.value()), Duration.ofSeconds(20));
    assertEquals(ExecutionStatus.FAILED, done.status());
    assertEquals("HostBootstrapFailed", done.error());
    assertEquals("step 'pre-bootstrap' failed: pip: command not found", done.cause());
    HostInstance failed = hosts.instance(instance.instanceId()).orElseThrow();
    assertTrue(failed.isGone(), "terminated: " + failed.ec2State());
    assertEquals(HostState.FAILED, failed.state());
    assertEquals("step 'pre-bootstrap' failed: pip: command not found", failed.toHost().failureReason());
  }

  @Test
  void aHostThatNeverCallsBackTimesOutAndIsTerminated() throws Exception {
    HostId id = startExecution("silent");
    HostInstance instance = fixture.awaitInstance(id);

    DescribeExecutionResponse done = fixture.awaitEnd(fixture.executionArn(id.value()), Duration.ofSeconds(20));
    assertEquals(ExecutionStatus.FAILED, done.status());
    assertEquals("HostTimedOut", done.error());
    assertTrue(done.cause().contains("bootstrap.log"), done.cause());
    assertTrue(hosts.instance(instance.instanceId()).orElseThrow().isGone());
  }

  @Test
  void aReportFromAnotherInstanceIsNotTrusted() throws Exception {
    HostId id = startExecution("spoofed");
    HostInstance instance = fixture.awaitInstance(id);
    String token = hosts.taskTokenOf(instance.instanceId()).orElseThrow();
    fixture.sfn.sendTaskSuccess(r -> r.taskToken(token).output("{\"hostId\":\"" + id
        + "\",\"instanceId\":\"i-0000000000000000\",\"privateDnsName\":\"evil.example.com\",\"dockerPort\":1111}"));

    DescribeExecutionResponse done = fixture.awaitEnd(fixture.executionArn(id.value()), Duration.ofSeconds(20));
    assertEquals(ExecutionStatus.FAILED, done.status());
    assertEquals("ProvisioningFailed", done.error());
    assertTrue(done.cause().contains("i-0000000000000000"), done.cause());
    assertTrue(hosts.instance(instance.instanceId()).orElseThrow().isGone());
  }

  @Test
  void aPrepareFailureEndsWithTheReasonAndLaunchesNothing() throws Exception {
    for (String mountTarget : fixture.world.mountTargetByZone.values()) {
      List<String> five = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        int n = i;
        five.add(fixture.world.ec2.createSecurityGroup(r -> r.vpcId(fixture.world.vpcId)
            .groupName(mountTarget + n).description("x")).groupId());
      }
      fixture.world.efs.modifyMountTargetSecurityGroups(r -> r.mountTargetId(mountTarget).securityGroups(five));
    }
    HostId id = startExecution("full");

    DescribeExecutionResponse done = fixture.awaitEnd(fixture.executionArn(id.value()), Duration.ofSeconds(20));
    assertEquals(ExecutionStatus.FAILED, done.status());
    assertEquals("ProvisioningFailed", done.error());
    assertTrue(done.cause().contains("already has 5 security groups"), done.cause());
    assertEquals(List.of(), hosts.instancesOf(id));
  }
}

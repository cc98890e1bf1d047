package io.studiocp.functions.provision;

import io.studiocp.emulators.lambda.LocalLambdas;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.stepfunctions.AslDefinition;
import io.studiocp.emulators.stepfunctions.LocalStepFunctions;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.aws.Ec2Hosts;
import io.studiocp.platform.Env;
import io.studiocp.testing.AwsTestWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The provisioning workflow as it runs in AWS, on this machine: statemachine/provision-host.asl.json
 * unchanged, executed by the local Step Functions, calling the real step handlers, against moto
 * and the Studio stand-in. Tests play the host by calling SendTaskSuccess or SendTaskFailure.
 */
public final class WorkflowFixture implements AutoCloseable {

  public static final String PREPARE = lambdaArn("Prepare");
  public static final String LAUNCH = lambdaArn("Launch");
  public static final String MARK_READY = lambdaArn("MarkReady");
  public static final String COMPENSATE = lambdaArn("Compensate");

  public final AwsTestWorld world;
  public final LocalStepFunctions stepFunctions;
  public final LocalLambdas lambdas = new LocalLambdas();
  public final String stateMachineArn;
  public final SfnClient sfn;

  private WorkflowFixture(MotoServer moto, Duration launchTimeout, Duration heartbeat) {
    world = AwsTestWorld.create(moto);
    stepFunctions = LocalStepFunctions.start(0, lambdas,
        new LocalStepFunctions.Options(AwsTestWorld.REGION, AwsTestWorld.ACCOUNT, 0.02));
    stateMachineArn = stepFunctions.createStateMachine("ProvisionHost", definition(launchTimeout, heartbeat));
    world.with("AWS_ENDPOINT_URL_SFN", stepFunctions.endpoint())
        .with("STATE_MACHINE_ARN", stateMachineArn)
        .with("HOST_SFN_ENDPOINT", stepFunctions.endpoint());
    Env env = env();
    lambdas.register(PREPARE, new PrepareHandler(env))
        .register(LAUNCH, new LaunchHandler(env))
        .register(MARK_READY, new MarkReadyHandler(env))
        .register(COMPENSATE, new CompensateHandler(env));
    sfn = world.sfn();
  }

  public static WorkflowFixture start(MotoServer moto, Duration launchTimeout, Duration heartbeat) {
    return new WorkflowFixture(moto, launchTimeout, heartbeat);
  }

  public static AslDefinition definition(Duration launchTimeout, Duration heartbeat) {
    return AslDefinition.load(definitionText(), Map.of(
        "PrepareFunctionArn", PREPARE,
        "LaunchFunctionArn", LAUNCH,
        "MarkReadyFunctionArn", MARK_READY,
        "CompensateFunctionArn", COMPENSATE,
        "ProvisioningTimeoutSeconds", Long.toString(launchTimeout.toSeconds()),
        "HeartbeatSeconds", Long.toString(heartbeat.toSeconds())));
  }

  public static String definitionText() {
    try {
      return Files.readString(root().resolve("statemachine/provision-host.asl.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository's root (surefire passes it; a run from the IDE falls back to the working directory). */
  public static Path root() {
    String root = System.getProperty("studiocp.root");
    Path path = root == null ? Path.of("").toAbsolutePath() : Path.of(root);
    while (path != null && !Files.exists(path.resolve("template.yaml"))) {
      path = path.getParent();
    }
    if (path == null) {
      throw new IllegalStateException("cannot find the repository root (template.yaml)");
    }
    return path;
  }

  public static String event(String name) {
    try {
      return Files.readString(root().resolve("events").resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Env env() {
    return Env.of(world.env());
  }

  public Map<String, String> settings() {
    return world.env();
  }

  /** Waits for an execution to end and returns how it ended. */
  public DescribeExecutionResponse awaitEnd(String executionArn, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(executionArn));
      if (d.status() != ExecutionStatus.RUNNING) {
        return d;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("execution still running after " + timeout + ": " + executionArn);
  }

  /** Waits for Launch to have run the host's instance, and returns it. */
  public HostInstance awaitInstance(HostId id) throws InterruptedException {
    Ec2Hosts hosts = new Ec2Hosts(world.ec2, null);
    for (int i = 0; i < 200; i++) {
      List<HostInstance> found = hosts.instancesOf(id);
      if (!found.isEmpty()) {
        return found.getFirst();
      }
      Thread.sleep(25);
    }
    throw new AssertionError("no instance was launched for " + id);
  }

  public String executionArn(String hostId) {
    return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + hostId;
  }

  private static String lambdaArn(String name) {
    return "arn:aws:lambda:" + AwsTestWorld.REGION + ":" + AwsTestWorld.ACCOUNT + ":function:studiocp-" + name + ":live";
  }

  @Override
  public void close() {
    stepFunctions.close();
    sfn.close();
    world.close();
  }
}

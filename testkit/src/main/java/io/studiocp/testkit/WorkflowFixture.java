package io.studiocp.testkit;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.studiocp.emulators.lambda.LocalLambdas;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.stepfunctions.AslDefinition;
import io.studiocp.emulators.stepfunctions.LocalStepFunctions;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.aws.Ec2Hosts;
import io.studiocp.platform.Env;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The provisioning workflow as it runs in AWS, on this machine: statemachine/provision-host.asl.json
 * unchanged, executed by the local Step Functions, calling the step handlers the test passes in
 * (the real ones, from the provision function), against moto and the Studio stand-in. Tests play
 * the host by calling SendTaskSuccess or SendTaskFailure.
 */
public final class WorkflowFixture implements AutoCloseable {

  public static final String PREPARE = lambdaArn("Prepare");
  public static final String LAUNCH = lambdaArn("Launch");
  public static final String MARK_READY = lambdaArn("MarkReady");
  public static final String COMPENSATE = lambdaArn("Compensate");
  public static final String CLAIM = lambdaArn("Claim");
  public static final String REFILL = lambdaArn("Refill");
  public static final String BEGIN_START = lambdaArn("BeginStart");
  public static final String FINISH_START = lambdaArn("FinishStart");
  public static final String ABANDON_START = lambdaArn("AbandonStart");

  /** The StartHost workflow's three steps, as Lambda handlers. */
  public record StartSteps(RequestStreamHandler begin, RequestStreamHandler finish, RequestStreamHandler abandon) {

    public static Function<Env, StartSteps> of(Function<Env, ? extends RequestStreamHandler> begin,
        Function<Env, ? extends RequestStreamHandler> finish, Function<Env, ? extends RequestStreamHandler> abandon) {
      return env -> new StartSteps(begin.apply(env), finish.apply(env), abandon.apply(env));
    }
  }

  /** The workflow's steps, as Lambda handlers (claim and refill null where a test has no warm pool). */
  public record Steps(RequestStreamHandler prepare, RequestStreamHandler launch, RequestStreamHandler markReady,
      RequestStreamHandler compensate, RequestStreamHandler claim, RequestStreamHandler refill) {

    /** The steps, each built from the settings the fixture gives the functions. */
    public static Function<Env, Steps> of(Function<Env, ? extends RequestStreamHandler> prepare,
        Function<Env, ? extends RequestStreamHandler> launch, Function<Env, ? extends RequestStreamHandler> markReady,
        Function<Env, ? extends RequestStreamHandler> compensate) {
      return env -> new Steps(prepare.apply(env), launch.apply(env), markReady.apply(env), compensate.apply(env),
          null, null);
    }

    /** All six steps, the warm pool's Claim and Refill included. */
    public static Function<Env, Steps> of(Function<Env, ? extends RequestStreamHandler> prepare,
        Function<Env, ? extends RequestStreamHandler> launch, Function<Env, ? extends RequestStreamHandler> markReady,
        Function<Env, ? extends RequestStreamHandler> compensate, Function<Env, ? extends RequestStreamHandler> claim,
        Function<Env, ? extends RequestStreamHandler> refill) {
      return env -> new Steps(prepare.apply(env), launch.apply(env), markReady.apply(env), compensate.apply(env),
          claim.apply(env), refill.apply(env));
    }
  }

  public final AwsTestWorld world;
  public final LocalStepFunctions stepFunctions;
  public final LocalLambdas lambdas = new LocalLambdas();
  public final String stateMachineArn;
  public final String startStateMachineArn;
  public final SfnClient sfn;

  private WorkflowFixture(MotoServer moto, Duration launchTimeout, Duration heartbeat, Function<Env, Steps> steps,
      Function<Env, StartSteps> startSteps) {
    world = AwsTestWorld.create(moto);
    stepFunctions = LocalStepFunctions.start(0, lambdas,
        new LocalStepFunctions.Options(AwsTestWorld.REGION, AwsTestWorld.ACCOUNT, 0.02));
    stateMachineArn = stepFunctions.createStateMachine("ProvisionHost", definition(launchTimeout, heartbeat));
    startStateMachineArn = stepFunctions.createStateMachine("StartHost", startDefinition(launchTimeout, heartbeat));
    world.with("AWS_ENDPOINT_URL_SFN", stepFunctions.endpoint())
        .with("STATE_MACHINE_ARN", stateMachineArn)
        .with("START_STATE_MACHINE_ARN", startStateMachineArn)
        .with("HOST_SFN_ENDPOINT", stepFunctions.endpoint());
    Steps handlers = steps.apply(env());
    lambdas.register(PREPARE, handlers.prepare())
        .register(LAUNCH, handlers.launch())
        .register(MARK_READY, handlers.markReady())
        .register(COMPENSATE, handlers.compensate());
    if (handlers.claim() != null) {
      lambdas.register(CLAIM, handlers.claim()).register(REFILL, handlers.refill());
    }
    if (startSteps != null) {
      StartSteps start = startSteps.apply(env());
      lambdas.register(BEGIN_START, start.begin())
          .register(FINISH_START, start.finish())
          .register(ABANDON_START, start.abandon());
    }
    sfn = world.sfn();
  }

  /**
   * Starts the workflow.
   *
   * @param steps builds the step handlers from the functions' settings (which name this fixture's
   *     state machine and Step Functions endpoint)
   */
  public static WorkflowFixture start(MotoServer moto, Duration launchTimeout, Duration heartbeat,
      Function<Env, Steps> steps) {
    return new WorkflowFixture(moto, launchTimeout, heartbeat, steps, null);
  }

  /** Starts both workflows: provisioning, and starting a stopped host with these steps. */
  public static WorkflowFixture start(MotoServer moto, Duration launchTimeout, Duration heartbeat,
      Function<Env, Steps> steps, Function<Env, StartSteps> startSteps) {
    return new WorkflowFixture(moto, launchTimeout, heartbeat, steps, startSteps);
  }

  public static AslDefinition startDefinition(Duration launchTimeout, Duration heartbeat) {
    return AslDefinition.load(RepositoryFiles.read("statemachine/start-host.asl.json"), Map.of(
        "BeginStartFunctionArn", BEGIN_START,
        "FinishStartFunctionArn", FINISH_START,
        "AbandonStartFunctionArn", ABANDON_START,
        "ProvisioningTimeoutSeconds", Long.toString(launchTimeout.toSeconds()),
        "HeartbeatSeconds", Long.toString(heartbeat.toSeconds())));
  }

  public static AslDefinition definition(Duration launchTimeout, Duration heartbeat) {
    return AslDefinition.load(RepositoryFiles.read("statemachine/provision-host.asl.json"), Map.of(
        "PrepareFunctionArn", PREPARE,
        "LaunchFunctionArn", LAUNCH,
        "MarkReadyFunctionArn", MARK_READY,
        "CompensateFunctionArn", COMPENSATE,
        "ClaimFunctionArn", CLAIM,
        "RefillFunctionArn", REFILL,
        // A claim waits less than a launch: a test sees the fall back to a fresh launch inside the launch's time.
        "ClaimTimeoutSeconds", Long.toString(Math.max(1, launchTimeout.toSeconds() / 2)),
        "ProvisioningTimeoutSeconds", Long.toString(launchTimeout.toSeconds()),
        "HeartbeatSeconds", Long.toString(heartbeat.toSeconds())));
  }

  /** The settings the functions are deployed with, pointing at this fixture. */
  public Env env() {
    return Env.of(world.env());
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
    Ec2Hosts hosts = new Ec2Hosts(world.ec2);
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

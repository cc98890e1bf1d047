package io.studiocp.functions.hostevents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.functions.provision.AbandonStartHandler;
import io.studiocp.functions.provision.BeginStartHandler;
import io.studiocp.functions.provision.ClaimHandler;
import io.studiocp.functions.provision.CompensateHandler;
import io.studiocp.functions.provision.FinishStartHandler;
import io.studiocp.functions.provision.LaunchHandler;
import io.studiocp.functions.provision.MarkReadyHandler;
import io.studiocp.functions.provision.PrepareHandler;
import io.studiocp.functions.provision.RefillHandler;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.platform.PrimingHttpClient;
import io.studiocp.platform.lambda.StepHandler;
import io.studiocp.testkit.RecordingProxy;
import io.studiocp.testkit.WorkflowFixture;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SnapStart priming of the host events function and of every workflow step: the hook runs each
 * client's calls without one request leaving the function, and the handler works afterwards.
 */
@ExtendWith(MotoExtension.class)
class PrimingTest {

  private final MotoServer moto;
  private WorkflowFixture fixture;

  PrimingTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void start() {
    fixture = WorkflowFixture.start(moto, Duration.ofSeconds(60), Duration.ofSeconds(60),
        WorkflowFixture.Steps.of(PrepareHandler::new, LaunchHandler::new, MarkReadyHandler::new,
            CompensateHandler::new));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void primingTheHostEventsFunctionCallsNothingAndLeavesItWorking() throws Exception {
    try (RecordingProxy.Recorded aws = RecordingProxy.inFrontOf(fixture.world.env())) {
      HostEventsHandler handler = new HostEventsHandler(Env.of(aws.env()));

      List<String> failures = handler.priming().prime();

      assertEquals(List.of(), failures, "every priming call ran through the client, answered locally");
      assertEquals(List.of(), aws.requests(), "priming sends nothing to AWS");
      String outcome = handler.handle(Json.mapper().readTree("""
          {"detail-type": "EC2 Instance State-change Notification",
           "detail": {"instance-id": "i-0123456789abcdef0", "state": "running"}}"""));
      assertEquals("IGNORED", outcome, "the primed handler reads EC2 as before");
      assertFalse(aws.requests().isEmpty(), "its calls reach AWS after priming");
      assertTrue(aws.requests().stream().noneMatch(r -> r.headers().containsKey(PrimingHttpClient.HEADER)),
          "no request carries the priming mark");
    }
  }

  @Test
  void primingEveryWorkflowStepCallsNothing() {
    List<Function<Env, StepHandler<?, ?>>> steps = List.of(PrepareHandler::new, LaunchHandler::new,
        MarkReadyHandler::new, CompensateHandler::new, ClaimHandler::new, RefillHandler::new, BeginStartHandler::new,
        FinishStartHandler::new, AbandonStartHandler::new);
    try (RecordingProxy.Recorded aws = RecordingProxy.inFrontOf(fixture.world.env())) {
      for (Function<Env, StepHandler<?, ?>> step : steps) {
        StepHandler<?, ?> handler = step.apply(Env.of(aws.env()));
        String name = handler.getClass().getSimpleName();
        assertEquals(List.of(), handler.priming().prime(), name + "'s priming calls all ran, answered locally");
        assertEquals(List.of(), aws.requests(), name + "'s priming sends nothing");
      }
    }
  }
}

package io.studiocp.functions.api;

import static io.studiocp.functions.api.ApiCalls.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.platform.Env;
import io.studiocp.platform.PrimingHttpClient;
import io.studiocp.testkit.RecordingProxy;
import io.studiocp.testkit.WorkflowFixture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The API's SnapStart priming hook: every client's calls run, nothing reaches AWS, the API answers after. */
@ExtendWith(MotoExtension.class)
class ApiPrimingTest {

  private final MotoServer moto;
  private WorkflowFixture fixture;

  ApiPrimingTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void start() {
    fixture = WorkflowFixture.start(moto, Duration.ofSeconds(120), Duration.ofSeconds(120), ApiCalls.PROVISION_STEPS);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void primingCallsNothingAndLeavesTheApiWorking() {
    try (RecordingProxy.Recorded aws = RecordingProxy.inFrontOf(fixture.world.env())) {
      ApiHandler handler = new ApiHandler(Env.of(aws.env()));

      List<String> failures = handler.priming().prime();

      assertEquals(List.of(), failures, "every priming step ran to its end, its calls answered locally");
      assertEquals(List.of(), aws.requests(), "priming sends nothing to AWS");
      ApiCalls.Reply reply = new ApiCalls(handler).send(sample("api-list-hosts.json"));
      assertEquals(200, reply.status(), reply.body().toString());
      assertFalse(aws.requests().isEmpty(), "the primed API's calls reach AWS");
      assertTrue(aws.requests().stream().noneMatch(r -> r.headers().containsKey(PrimingHttpClient.HEADER)),
          "no request carries the priming mark");
    }
  }
}

package io.studiocp.functions.api;

import static io.studiocp.functions.api.ApiCalls.as;
import static io.studiocp.functions.api.ApiCalls.sample;
import static io.studiocp.testkit.AwsTestWorld.DOMAIN;
import static io.studiocp.testkit.AwsTestWorld.assumedRole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.functions.api.ApiCalls.Reply;
import io.studiocp.testkit.WorkflowFixture;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /admin/report}: the admin console's report for admins, and nothing for anyone else. */
@ExtendWith(MotoExtension.class)
class AdminReportRouteTest {

  private final MotoServer moto;
  private WorkflowFixture fixture;
  private ApiCalls api;

  AdminReportRouteTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void start() {
    fixture = WorkflowFixture.start(moto, Duration.ofSeconds(120), Duration.ofSeconds(120), ApiCalls.PROVISION_STEPS);
    fixture.world.studio.world().addApp(new StudioWorld.App(DOMAIN, "bob", null, "KernelGateway", "kg-bob",
        "ml.m5.xlarge", Instant.now().minus(Duration.ofHours(10)), "InService"));
    api = new ApiCalls(new ApiHandler(fixture.env()));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void anAdminGetsTheSummaryAndTheReport() {
    Reply reply = api.send(sample("api-admin-report.json"));
    assertEquals(200, reply.status(), reply.body().toString());
    assertTrue(reply.body().path("summary").asText().contains(DOMAIN + "/bob"), reply.body().toString());
    assertEquals(1, reply.body().path("report").path("totals").path("apps").asInt());
    // 10 h of ml.m5.xlarge at the shipped list price (0.23 an hour)
    assertEquals(2.3, reply.body().path("report").path("totals").path("costSoFarUsd").asDouble(), 0.02);
  }

  @Test
  void anyoneElseIsRefusedAndLearnsNothing() {
    for (String profile : new String[] {"bob", null}) {
      Reply reply = api.send(as(sample("api-admin-report.json"), assumedRole("studio-bob"), profile));
      assertEquals(403, reply.status(), reply.body().toString());
      assertEquals("only admins (AdminPrincipals) may read the admin report", reply.message());
      assertFalse(reply.body().toString().contains("kg-bob"));
      assertFalse(reply.body().has("report"));
    }
  }
}

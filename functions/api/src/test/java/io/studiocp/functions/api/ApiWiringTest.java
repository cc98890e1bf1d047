package io.studiocp.functions.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.platform.Env;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the API builds at init: the host routes' clients, not the SDK's SageMaker client or SSM,
 * which only the Studio, SSH and admin routes use (their first request builds them); the priming
 * hook builds them, so a snapshot holds them.
 */
class ApiWiringTest {

  private static final Env ENV = Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "testing",
      "AWS_SECRET_ACCESS_KEY", "testing", "STUDIO_DOMAIN_IDS", "d-sandbox0001",
      "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:ProvisionHost",
      "START_STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:StartHost"));

  @Test
  void theRoutesLeaveTheClientsOnlySomeRoutesNeedUnbuiltUntilPrimed() {
    ApiWiring api = ApiWiring.from(ENV, Clock.systemUTC());
    Router router = ApiRoutes.router(api);

    assertTrue(router.methodsByResource().containsKey("/studio/apps"), "the Studio routes are there");
    assertFalse(api.sagemaker().built(), "no SageMaker client at init");
    assertFalse(api.ssh().built(), "no SSM client at init");

    api.primeClients().run();

    assertTrue(api.sagemaker().built(), "priming builds the SageMaker client a snapshot should hold");
    assertTrue(api.ssh().built(), "and SSH's");
  }
}

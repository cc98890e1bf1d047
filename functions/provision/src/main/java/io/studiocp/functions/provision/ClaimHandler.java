package io.studiocp.functions.provision;

import io.studiocp.hosts.pool.ClaimPoolHost;
import io.studiocp.hosts.provisioning.LaunchRequest;
import io.studiocp.platform.Env;
import io.studiocp.platform.lambda.StepHandler;

/** Claim: hands the user's identity to a warm pool host; the workflow then waits for that host's callback. */
public final class ClaimHandler extends StepHandler<LaunchRequest, ClaimPoolHost.Claimed> {

  public ClaimHandler() {
    this(Env.system());
  }

  public ClaimHandler(Env env) {
    this(ProvisionWiring.from(env));
  }

  private ClaimHandler(ProvisionWiring wiring) {
    super(LaunchRequest.class, ClaimPoolHost.Claimed.class, wiring.claim()::claim, wiring.env(), wiring::prime);
  }
}

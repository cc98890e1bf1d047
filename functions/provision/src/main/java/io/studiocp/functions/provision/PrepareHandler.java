package io.studiocp.functions.provision;

import io.studiocp.hosts.provisioning.LaunchPlan;
import io.studiocp.hosts.provisioning.PrepareInput;
import io.studiocp.platform.Env;
import io.studiocp.platform.lambda.StepHandler;

/** Prepare, the first workflow step: resolves the domain, user, subnet, mount target and AMI, and readies the security groups. */
public final class PrepareHandler extends StepHandler<PrepareInput, LaunchPlan> {

  public PrepareHandler() {
    this(Env.system());
  }

  public PrepareHandler(Env env) {
    this(ProvisionWiring.from(env));
  }

  private PrepareHandler(ProvisionWiring wiring) {
    super(PrepareInput.class, LaunchPlan.class, wiring.prepare()::prepare, wiring.env(), wiring::prime);
  }
}

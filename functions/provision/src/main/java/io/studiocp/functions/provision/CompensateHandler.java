package io.studiocp.functions.provision;

import io.studiocp.hosts.provisioning.CompensateInput;
import io.studiocp.hosts.provisioning.FailureReason;
import io.studiocp.platform.Env;
import io.studiocp.platform.lambda.StepHandler;

/** Compensate, where every failure ends: terminates whatever was launched and records why provisioning failed. */
public final class CompensateHandler extends StepHandler<CompensateInput, FailureReason> {

  public CompensateHandler() {
    this(Env.system());
  }

  public CompensateHandler(Env env) {
    this(ProvisionWiring.from(env));
  }

  private CompensateHandler(ProvisionWiring wiring) {
    super(CompensateInput.class, FailureReason.class, wiring.compensate()::compensate, wiring.env(), wiring::prime);
  }
}

package io.studiocp.functions.provision;

import io.studiocp.hosts.lifecycle.StartSteps;
import io.studiocp.platform.Env;
import io.studiocp.platform.lambda.StepHandler;
import java.time.Clock;

/** Abandon (StartHost): stops a host whose start failed, with the reason. */
public final class AbandonStartHandler extends StepHandler<StartSteps.AbandonInput, StartSteps.Outcome> {

  public AbandonStartHandler() {
    this(Env.system());
  }

  public AbandonStartHandler(Env env) {
    this(env, Clock.systemUTC());
  }

  public AbandonStartHandler(Env env, Clock clock) {
    this(ProvisionWiring.from(env, clock));
  }

  private AbandonStartHandler(ProvisionWiring wiring) {
    super(StartSteps.AbandonInput.class, StartSteps.Outcome.class, wiring.startSteps()::abandon, wiring.env(), wiring::prime);
  }
}

package io.studiocp.functions.provision;

import io.studiocp.hosts.lifecycle.StartSteps;
import io.studiocp.platform.Env;
import io.studiocp.platform.lambda.StepHandler;
import java.time.Clock;

/** Finish (StartHost): records the started host READY once it has reported back. */
public final class FinishStartHandler extends StepHandler<StartSteps.FinishInput, StartSteps.Outcome> {

  public FinishStartHandler() {
    this(Env.system());
  }

  public FinishStartHandler(Env env) {
    this(env, Clock.systemUTC());
  }

  public FinishStartHandler(Env env, Clock clock) {
    this(ProvisionWiring.from(env, clock));
  }

  private FinishStartHandler(ProvisionWiring wiring) {
    super(StartSteps.FinishInput.class, StartSteps.Outcome.class, wiring.startSteps()::finish, wiring.env(), wiring::prime);
  }
}

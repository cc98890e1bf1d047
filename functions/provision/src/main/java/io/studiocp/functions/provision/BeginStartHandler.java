package io.studiocp.functions.provision;

import io.studiocp.hosts.lifecycle.StartSteps;
import io.studiocp.platform.Env;
import io.studiocp.platform.lambda.StepHandler;
import java.time.Clock;

/** Begin (StartHost): the start's task token into the boot script, then StartInstances. */
public final class BeginStartHandler extends StepHandler<StartSteps.BeginInput, StartSteps.Outcome> {

  public BeginStartHandler() {
    this(Env.system());
  }

  public BeginStartHandler(Env env) {
    this(env, Clock.systemUTC());
  }

  public BeginStartHandler(Env env, Clock clock) {
    this(ProvisionWiring.from(env, clock));
  }

  private BeginStartHandler(ProvisionWiring wiring) {
    super(StartSteps.BeginInput.class, StartSteps.Outcome.class, wiring.startSteps()::begin, wiring.env(), wiring::prime);
  }
}

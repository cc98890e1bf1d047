package io.studiocp.functions.provision;

import io.studiocp.hosts.provisioning.MarkHostReady;
import io.studiocp.hosts.provisioning.MarkReadyInput;
import io.studiocp.platform.Env;
import io.studiocp.platform.lambda.StepHandler;
import java.time.Clock;

/** MarkReady: records the host as ready once it has reported back. */
public final class MarkReadyHandler extends StepHandler<MarkReadyInput, MarkHostReady.ReadyHost> {

  public MarkReadyHandler() {
    this(Env.system());
  }

  public MarkReadyHandler(Env env) {
    this(env, Clock.systemUTC());
  }

  /** With another clock: the time a host became ready is the clock's. */
  public MarkReadyHandler(Env env, Clock clock) {
    this(ProvisionWiring.from(env, clock));
  }

  private MarkReadyHandler(ProvisionWiring wiring) {
    super(MarkReadyInput.class, MarkHostReady.ReadyHost.class, wiring.markReady()::markReady, wiring.env(), wiring::prime);
  }
}

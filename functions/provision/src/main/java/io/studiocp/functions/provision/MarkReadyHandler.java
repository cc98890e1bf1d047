package io.studiocp.functions.provision;

import io.studiocp.hosts.provisioning.MarkHostReady;
import io.studiocp.hosts.provisioning.MarkReadyInput;
import io.studiocp.platform.Env;
import io.studiocp.platform.lambda.StepHandler;

/** MarkReady: records the host as ready once it has reported back. */
public final class MarkReadyHandler extends StepHandler<MarkReadyInput, MarkHostReady.ReadyHost> {

  public MarkReadyHandler() {
    this(Env.system());
  }

  public MarkReadyHandler(Env env) {
    super(MarkReadyInput.class, ProvisionWiring.markReady(env)::markReady);
  }
}

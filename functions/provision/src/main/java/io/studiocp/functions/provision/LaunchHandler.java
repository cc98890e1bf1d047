package io.studiocp.functions.provision;

import io.studiocp.hosts.provisioning.LaunchHost;
import io.studiocp.hosts.provisioning.LaunchRequest;
import io.studiocp.platform.Env;
import io.studiocp.platform.lambda.StepHandler;

/** Launch: runs the instance with the rendered bootstrap; the workflow then waits for the host's callback. */
public final class LaunchHandler extends StepHandler<LaunchRequest, LaunchHost.Launched> {

  public LaunchHandler() {
    this(Env.system());
  }

  public LaunchHandler(Env env) {
    this(ProvisionWiring.from(env));
  }

  private LaunchHandler(ProvisionWiring wiring) {
    super(LaunchRequest.class, LaunchHost.Launched.class, wiring.launch()::launch, wiring.env(), wiring::prime);
  }
}

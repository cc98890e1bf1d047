package io.studiocp.functions.provision;

import io.studiocp.hosts.pool.KeepPool;
import io.studiocp.platform.Env;
import io.studiocp.platform.lambda.StepHandler;

/** Refill: after a claim, launches a pool host in place of the claimed one (the cleanup keeps every pool too). */
public final class RefillHandler extends StepHandler<RefillHandler.Refill, KeepPool.Report> {

  /** The pool a claim took a host from. */
  public record Refill(String domainId, String instanceType) {}

  public RefillHandler() {
    this(Env.system());
  }

  public RefillHandler(Env env) {
    this(ProvisionWiring.from(env));
  }

  /** With another clock: a pool's hours are the clock's. */
  public RefillHandler(Env env, java.time.Clock clock) {
    this(ProvisionWiring.from(env, clock));
  }

  private RefillHandler(ProvisionWiring wiring) {
    this(wiring, wiring.keepPool());
  }

  private RefillHandler(ProvisionWiring wiring, KeepPool keeper) {
    super(Refill.class, KeepPool.Report.class, r -> keeper.refill(r.domainId(), r.instanceType()), wiring.env(),
        wiring::prime);
  }
}

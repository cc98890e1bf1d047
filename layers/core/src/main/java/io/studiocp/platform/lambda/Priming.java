package io.studiocp.platform.lambda;

import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.platform.PrimingHttpClient;
import java.util.ArrayList;
import java.util.List;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A function's SnapStart priming hook: before Lambda takes the snapshot of an initialised function
 * ({@code beforeCheckpoint}), it runs what the function's first request will need — its SDK
 * clients' calls as priming calls ({@link PrimingHttpClient#PRIMING}: marshalled, signed,
 * answered locally, never sent), Jackson's readers and writers of its event and answer, the
 * handler's own path — so that the restored function starts warm. Nothing reaches AWS.
 *
 * <p>{@code STUDIOCP_PRIME_ON_INIT=true} runs the hook at init instead, where there is no
 * checkpoint to wait for: bench/cold-start measures a primed function that way.
 *
 * <p>A handler keeps the returned object in a field: org.crac holds its resources weakly.
 */
public final class Priming implements Resource {

  /** Run the hook at init (the benchmark's stand-in for a SnapStart checkpoint). */
  public static final String PRIME_ON_INIT = "STUDIOCP_PRIME_ON_INIT";

  private static final Logger LOG = LoggerFactory.getLogger(Priming.class);

  private final List<Runnable> steps;

  private Priming(List<Runnable> steps) {
    this.steps = List.copyOf(steps);
  }

  /**
   * Registers the hook with the runtime's checkpoint context.
   *
   * @param steps each a part of the first request's path; a step that fails is logged and the
   *     others still run (priming never fails a function)
   */
  public static Priming register(Env env, Runnable... steps) {
    Priming priming = new Priming(List.of(steps));
    Core.getGlobalContext().register(priming);
    if (env.optional(PRIME_ON_INIT).map(Boolean::parseBoolean).orElse(false)) {
      priming.prime();
    }
    return priming;
  }

  /** Jackson's reader of {@code type} (and what it needs), built now rather than at the first request. */
  public static Runnable reader(Class<?> type) {
    return () -> Json.mapper().readerFor(type);
  }

  /** Jackson's writer of {@code type}, built now. */
  public static Runnable writer(Class<?> type) {
    return () -> Json.mapper().writerFor(type);
  }

  /**
   * Runs every step; what fails is logged, never thrown.
   *
   * @return what failed (empty when every step ran to its end)
   */
  public List<String> prime() {
    List<String> failures = new ArrayList<>();
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (RuntimeException e) {
        LOG.debug("a priming step failed; the first request will load what it needs itself", e);
        failures.add(e.toString());
      }
    }
    return failures;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    prime();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {}
}

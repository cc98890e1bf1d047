package io.studiocp.platform;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Independent work started side by side on virtual threads: AWS calls that do not depend on each
 * other, and the building of SDK clients at cold start (class loading uses both cores).
 */
public final class Concurrently {

  private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

  private Concurrently() {}

  public static <T> CompletableFuture<T> start(Callable<T> work) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return work.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, THREADS);
  }

  /** The result, or the work's own exception (not wrapped). */
  public static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}

package io.studiocp.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

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

  /**
   * {@code work} applied to every item, at most {@code atOnce} at a time, the results in the items'
   * order: independent AWS calls (pages of tags by ARN, batched tag writes, mail) side by side
   * without flooding the service. The first failure is thrown (not wrapped) once all have ended.
   */
  public static <T, R> List<R> map(List<T> items, int atOnce, Function<T, R> work) {
    if (items.size() <= 1) {
      return items.stream().map(work).toList();
    }
    Semaphore permits = new Semaphore(atOnce);
    List<CompletableFuture<R>> futures = new ArrayList<>(items.size());
    for (T item : items) {
      futures.add(start(() -> {
        permits.acquire();
        try {
          return work.apply(item);
        } finally {
          permits.release();
        }
      }));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    List<R> results = new ArrayList<>(items.size());
    futures.forEach(f -> results.add(join(f)));
    return results;
  }

  /** {@code items} cut into consecutive lists of at most {@code size}. */
  public static <T> List<List<T>> batches(List<T> items, int size) {
    List<List<T>> batches = new ArrayList<>();
    for (int from = 0; from < items.size(); from += size) {
      batches.add(List.copyOf(items.subList(from, Math.min(items.size(), from + size))));
    }
    return batches;
  }
}

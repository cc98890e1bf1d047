package io.studiocp.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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
   * without flooding the service. The first failure (in the items' order) is thrown, not wrapped,
   * once all have ended.
   *
   * <p>{@code atOnce} workers take the items in turn, each on one virtual thread for all its items:
   * what an SDK call keeps per thread (its signer's MAC, its JSON generators) is made once per
   * worker, not once per call, which a run of a thousand messages feels.
   */
  public static <T, R> List<R> map(List<T> items, int atOnce, Function<T, R> work) {
    if (items.size() <= 1) {
      return items.stream().map(work).toList();
    }
    int count = items.size();
    Object[] results = new Object[count];
    Throwable[] failures = new Throwable[count];
    AtomicInteger next = new AtomicInteger();
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int w = 0; w < Math.min(atOnce, count); w++) {
      workers.add(start(() -> {
        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
          try {
            results[i] = work.apply(items.get(i));
          } catch (RuntimeException | Error e) {
            failures[i] = e;
          }
        }
        return null;
      }));
    }
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    List<R> ordered = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (failures[i] instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (failures[i] instanceof Error error) {
        throw error;
      }
      @SuppressWarnings("unchecked")
      R result = (R) results[i];
      ordered.add(result);
    }
    return ordered;
  }

  /**
   * The results of work already started, in its order, once all of it has ended; the first failure
   * in that order is thrown, not wrapped (as doing the work one piece after another would have
   * thrown it first).
   */
  public static <T> List<T> joinAll(List<CompletableFuture<T>> started) {
    CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    return started.stream().map(Concurrently::join).toList();
  }

  /**
   * Independent calls side by side, all ended when it returns; the first failure in the order
   * given is thrown (as calling them one after another would have thrown it first), not wrapped.
   */
  public static void run(Runnable... work) {
    map(List.of(work), work.length, w -> {
      w.run();
      return null;
    });
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

package io.studiocp.platform;

import java.util.function.Supplier;

/**
 * A value built on its first use, once, however many threads ask: an SDK client that only some of
 * a function's requests need, so that its cold start does not pay for it.
 */
public final class Lazy<T> implements Supplier<T> {

  private final Supplier<T> build;
  private volatile T value;

  private Lazy(Supplier<T> build) {
    this.build = build;
  }

  public static <T> Lazy<T> of(Supplier<T> build) {
    return new Lazy<>(build);
  }

  @Override
  public T get() {
    T built = value;
    if (built == null) {
      synchronized (this) {
        built = value;
        if (built == null) {
          built = build.get();
          value = built;
        }
      }
    }
    return built;
  }

  /** Whether it has been built (tests: a request that does not need it leaves it unbuilt). */
  public boolean built() {
    return value != null;
  }
}

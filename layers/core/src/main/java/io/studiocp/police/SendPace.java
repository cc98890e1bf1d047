package io.studiocp.police;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Spaces sends at most {@code perSecond} apart, across all the threads that send: each send takes
 * the next free slot (now, or one interval after the previous slot) and waits for it. A slot past
 * the deadline is not taken. The clock ({@code nanoTime}) and the waiting are injected, so the
 * pacing is tested without time passing.
 */
public final class SendPace {

  /** Waits; the real one sleeps the thread. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper THREAD = d -> Thread.sleep(d);

    void sleep(Duration d) throws InterruptedException;
  }

  private final long intervalNanos;
  private final LongSupplier nanos;
  private final Sleeper sleeper;
  private long nextSlot;
  private boolean started;

  /** @param perSecond the most sends a second; 0 or less for no limit */
  public SendPace(double perSecond, LongSupplier nanos, Sleeper sleeper) {
    this.intervalNanos = perSecond > 0 ? (long) Math.ceil(1_000_000_000L / perSecond) : 0;
    this.nanos = nanos;
    this.sleeper = sleeper;
  }

  public Duration interval() {
    return Duration.ofNanos(intervalNanos);
  }

  /**
   * Waits for this send's slot. {@code false} (and no slot taken, no wait) when the slot would
   * come after {@code deadlineNanos} (a {@code nanoTime} value).
   */
  public boolean acquire(long deadlineNanos) throws InterruptedException {
    if (intervalNanos == 0) {
      return nanos.getAsLong() - deadlineNanos <= 0;
    }
    long now;
    long slot;
    synchronized (this) {
      now = nanos.getAsLong();
      slot = started && nextSlot - now > 0 ? nextSlot : now;
      if (slot - deadlineNanos > 0) {
        return false;
      }
      started = true;
      nextSlot = slot + intervalNanos;
    }
    if (slot - now > 0) {
      sleeper.sleep(Duration.ofNanos(slot - now));
    }
    return true;
  }
}

package io.studiocp.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sandbox's time: the machine's, moved forward on demand ({@code POST /_sandbox/clock}) so
 * that expiry and idleness show in seconds, not hours. The functions and the hosts' housekeeping
 * read it; it never goes back.
 */
final class SandboxClock extends Clock {

  private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

  Instant advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("the sandbox's clock only moves forward");
    }
    ahead.accumulateAndGet(by, Duration::plus);
    return instant();
  }

  Duration ahead() {
    return ahead.get();
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(ahead.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the sandbox's clock is UTC");
  }
}

package io.studiocp.hosts;

import io.studiocp.identity.Actor;
import io.studiocp.platform.Rejection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET /hosts/{hostId}?waitSeconds=N}: a long poll. While the host is PROVISIONING or
 * STARTING, it is read again until its state is another or the wait is over, and then answered as
 * a plain describe answers it (the last reading). A client that waits for a host thus learns of
 * its new state one reading after the change, with no round trip and no pause of its own.
 *
 * <p>The readings start on a fixed beat: every {@link #FAST_BEAT} (100 ms) for the first
 * {@link #FAST_PHASE} (2 s) of a wait, then every {@link #SLOW_BEAT} (250 ms). A claimed pool host
 * turns READY within about a second of its request, so its waiter learns of it at most 100 ms (plus
 * one reading) late (a 50 ms beat, twice the EC2 reads, measured no faster in the sandbox's
 * bench/host-ready: 1.14 s against 1.11 s median create-host with a pool host); a fresh launch takes seconds in the sandbox and a minute in AWS, where 250 ms
 * late is noise, and a reading (EC2's DescribeInstances, and the execution while there is no
 * instance yet) then happens at most 4 times a second per waiter: EC2 rates its Describe calls per
 * account, and the client asks again at once after each answer. A reading slower than the beat is
 * followed at once by the next; the last reading is at the end of the wait.
 */
public final class WaitForHost {

  public static final int MIN_SECONDS = 1;
  public static final int MAX_SECONDS = 20;
  static final Duration FAST_BEAT = Duration.ofMillis(100);
  static final Duration FAST_PHASE = Duration.ofSeconds(2);
  static final Duration SLOW_BEAT = Duration.ofMillis(250);

  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,2}");

  /** Pauses the waiting thread (the test's moves its clock instead). */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper THREAD = Thread::sleep;

    void sleep(Duration duration) throws InterruptedException;
  }

  private final HostQueries queries;
  private final Clock clock;
  private final Sleeper sleeper;

  public WaitForHost(HostQueries queries, Clock clock, Sleeper sleeper) {
    this.queries = queries;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * The {@code waitSeconds} query parameter: absent is no wait; else a whole number from 1 to 20.
   *
   * @throws Rejection naming the parameter and its range for anything else
   */
  public static Optional<Duration> parse(String waitSeconds) {
    if (waitSeconds == null) {
      return Optional.empty();
    }
    if (SECONDS.matcher(waitSeconds).matches()) {
      int seconds = Integer.parseInt(waitSeconds);
      if (seconds >= MIN_SECONDS && seconds <= MAX_SECONDS) {
        return Optional.of(Duration.ofSeconds(seconds));
      }
    }
    throw Rejection.invalid("waitSeconds", "must be a whole number of seconds from " + MIN_SECONDS + " to "
        + MAX_SECONDS + ", got '" + waitSeconds + "'");
  }

  /** Whether a host in this state is on its way to another by itself (what a waiter waits out). */
  static boolean onItsWay(HostState state) {
    return state == HostState.PROVISIONING || state == HostState.STARTING;
  }

  /** The host as {@link HostQueries#describe} answers it, once it left PROVISIONING or STARTING or the wait ended. */
  public Host describe(Actor actor, String hostId, Duration wait) {
    Instant start = clock.instant();
    Instant deadline = start.plus(wait);
    Instant reading = start;
    Host host = queries.describe(actor, hostId);
    while (onItsWay(host.state())) {
      Duration beat = Duration.between(start, reading).compareTo(FAST_PHASE) < 0 ? FAST_BEAT : SLOW_BEAT;
      if (!reading.isBefore(deadline)) {
        break;
      }
      Instant next = reading.plus(beat).isBefore(deadline) ? reading.plus(beat) : deadline;
      Duration pause = Duration.between(clock.instant(), next);
      if (pause.isPositive()) {
        try {
          sleeper.sleep(pause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      reading = clock.instant();
      // A host with no instance yet (in Prepare, or its claim under way) needs its execution read
      // too: both readings side by side, so that each takes one round trip.
      host = queries.describe(actor, hostId, host.instanceId() == null);
    }
    return host;
  }
}

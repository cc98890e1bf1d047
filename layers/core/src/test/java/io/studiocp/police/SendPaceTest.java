package io.studiocp.police;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pacing of sends, on a clock the test moves: no time passes. */
class SendPaceTest {

  private long now = 1_000_000_000L;
  private final List<Duration> sleeps = new ArrayList<>();
  private final SendPace.Sleeper sleeper = d -> {
    sleeps.add(d);
    now += d.toNanos();
  };

  @Test
  void sendsAreSpacedAtTheRate() throws Exception {
    SendPace pace = new SendPace(4, () -> now, sleeper);
    for (int i = 0; i < 5; i++) {
      assertTrue(pace.acquire(Long.MAX_VALUE));
    }
    assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(250), Duration.ofMillis(250), Duration.ofMillis(250)),
        sleeps, "the first goes at once, each next one a quarter second later");
  }

  @Test
  void timeAlreadySpentCountsTowardsTheNextSlot() throws Exception {
    SendPace pace = new SendPace(2, () -> now, sleeper);
    assertTrue(pace.acquire(Long.MAX_VALUE));
    now += Duration.ofMillis(300).toNanos();
    assertTrue(pace.acquire(Long.MAX_VALUE));
    now += Duration.ofSeconds(5).toNanos();
    assertTrue(pace.acquire(Long.MAX_VALUE));
    assertEquals(List.of(Duration.ofMillis(200)), sleeps, "waits only what is left of the interval; an idle pace waits not at all");
  }

  @Test
  void aSlotPastTheDeadlineIsNotTakenNorWaitedFor() throws Exception {
    SendPace pace = new SendPace(1, () -> now, sleeper);
    long deadline = now + Duration.ofMillis(1500).toNanos();
    assertTrue(pace.acquire(deadline));
    assertTrue(pace.acquire(deadline));
    assertFalse(pace.acquire(deadline), "the third slot would be 2 s on");
    assertFalse(pace.acquire(deadline), "and stays refused");
    assertEquals(List.of(Duration.ofSeconds(1)), sleeps);
  }

  @Test
  void withoutARateNothingWaits() throws Exception {
    SendPace pace = new SendPace(0, () -> now, sleeper);
    for (int i = 0; i < 100; i++) {
      assertTrue(pace.acquire(now + 1));
    }
    assertEquals(List.of(), sleeps);
    assertEquals(Duration.ZERO, pace.interval());
  }

  @Test
  void theQuotaLeftTodayIsTheDayLimitLessWhatWasSent() {
    assertEquals(java.util.OptionalLong.of(150), SendQuota.of(14, 200, 50).remainingToday());
    assertEquals(java.util.OptionalLong.of(0), SendQuota.of(14, 200, 250).remainingToday());
    assertEquals(java.util.OptionalLong.empty(), SendQuota.of(14, -1, 50).remainingToday(), "-1: no daily limit");
    assertFalse(SendQuota.UNLIMITED.limited());
  }
}

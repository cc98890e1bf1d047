package io.studiocp.police;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.testkit.fakes.InMemoryMailer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The mail room against the mail service's quota, on a clock the test moves (no time passes):
 * paced at the account's rate read once a run, a throttled message backed off and retried within
 * the run's budget, and what cannot go this run deferred (never a failed run).
 */
class MailRoomQuotaTest {

  private long now = 0;
  private final List<Duration> sleeps = new ArrayList<>();
  private final InMemoryMailer mailer = new InMemoryMailer();

  private MailRoom room(Duration budget) {
    return new MailRoom(mailer, budget, () -> now, d -> {
      sleeps.add(d);
      now += d.toNanos();
    });
  }

  private static Email mail(int i) {
    return new Email(List.of("user" + i + "@example.com"), "reminder " + i, "text", "<p>html</p>");
  }

  private static List<Delivery.Outcome> outcomes(List<Delivery> deliveries) {
    return deliveries.stream().map(Delivery::outcome).toList();
  }

  @Test
  void messagesGoAtTheAccountsRateReadOnceARun() {
    mailer.quota(new SendQuota(10, OptionalLong.empty()));
    MailRoom room = room(Duration.ofMinutes(5));
    room.startRun();
    List<Delivery> first = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      first.add(room.deliver(mail(i), false));
    }
    assertEquals(List.of(Delivery.Outcome.SENT, Delivery.Outcome.SENT, Delivery.Outcome.SENT, Delivery.Outcome.SENT,
        Delivery.Outcome.SENT), outcomes(first));
    assertEquals(Duration.ofMillis(400), sleeps.stream().reduce(Duration.ZERO, Duration::plus), "a tenth of a second apart");
    assertEquals(1, mailer.quotaReads());

    room.startRun();
    room.deliver(mail(9), false);
    assertEquals(2, mailer.quotaReads(), "read anew by the next run");
  }

  @Test
  void anUnknownQuotaSendsWithoutWaiting() {
    MailRoom room = room(Duration.ofMinutes(5));
    room.startRun();
    for (int i = 0; i < 50; i++) {
      assertEquals(Delivery.Outcome.SENT, room.deliver(mail(i), false).outcome());
    }
    assertEquals(List.of(), sleeps, "moto tells no quota: the sandbox is unlimited");
  }

  @Test
  void aThrottledMessageIsRetriedAfterAGrowingPause() {
    mailer.quota(new SendQuota(10, OptionalLong.empty())).throttleNext(3);
    MailRoom room = room(Duration.ofMinutes(5));
    room.startRun();

    Delivery d = room.deliver(mail(1), false);

    assertEquals(Delivery.Outcome.SENT, d.outcome());
    assertEquals(1, mailer.sentTo("user1@example.com").size());
    assertEquals(3, mailer.throttled());
    List<Duration> backoffs = sleeps.stream().filter(s -> s.compareTo(Duration.ofMillis(100)) > 0).toList();
    assertEquals(List.of(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800)), backoffs,
        "twice the rate's interval, doubling: " + sleeps);
  }

  @Test
  void throttledPastTheRunsBudgetTheMessageWaitsForTheNextRun() {
    mailer.throttleNext(1000);
    MailRoom room = room(Duration.ofSeconds(10));
    room.startRun();

    Delivery d = room.deliver(mail(1), false);

    assertEquals(Delivery.Outcome.DEFERRED, d.outcome(), "never a failed run");
    assertTrue(d.detail().contains("next run"), d.detail());
    assertTrue(now <= Duration.ofSeconds(10).toNanos(), "stays within the budget");
    assertTrue(mailer.sent().isEmpty());
    assertTrue(sleeps.stream().allMatch(s -> s.compareTo(MailRoom.MAX_BACKOFF) <= 0));
  }

  @Test
  void aRateTooSlowForTheBudgetDefersTheRest() {
    mailer.quota(new SendQuota(1, OptionalLong.empty()));
    MailRoom room = room(Duration.ofMillis(2500));
    room.startRun();
    List<Delivery> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(room.deliver(mail(i), false));
    }
    assertEquals(List.of(Delivery.Outcome.SENT, Delivery.Outcome.SENT, Delivery.Outcome.SENT, Delivery.Outcome.DEFERRED,
        Delivery.Outcome.DEFERRED), outcomes(all), "one a second: at 0, 1 and 2 s of a 2.5 s budget");
  }

  @Test
  void theDaysQuotaKeepsItsLastMessageForTheAdmins() {
    mailer.quota(SendQuota.of(100, 10, 7));
    MailRoom room = room(Duration.ofMinutes(5));
    room.startRun();
    List<Delivery> owners = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      owners.add(room.deliver(mail(i), false));
    }
    Delivery admins = room.deliverToAdmins(new Email(List.of("admins@example.com"), "digest", "t", "h"), false);

    assertEquals(List.of(Delivery.Outcome.SENT, Delivery.Outcome.SENT, Delivery.Outcome.DEFERRED,
        Delivery.Outcome.DEFERRED), outcomes(owners), "3 left today, one kept for the admins");
    assertEquals(Delivery.Outcome.SENT, admins.outcome());
    assertTrue(owners.get(2).detail().contains("daily sending quota"), owners.get(2).detail());
  }

  @Test
  void whenTheServiceSaysTheDayIsUsedUpNothingMoreIsTriedThisRun() {
    mailer.dailyLimit(2);
    MailRoom room = room(Duration.ofMinutes(5));
    room.startRun();
    List<Delivery> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(room.deliver(mail(i), false));
    }
    assertEquals(List.of(Delivery.Outcome.SENT, Delivery.Outcome.SENT, Delivery.Outcome.DEFERRED,
        Delivery.Outcome.DEFERRED, Delivery.Outcome.DEFERRED), outcomes(all));
    assertEquals(1, mailer.throttled(), "asked once, then no more this run");
    assertEquals(List.of(), sleeps, "no waiting on a day's quota");
  }
}

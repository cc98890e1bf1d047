package io.studiocp.police;

import io.studiocp.platform.Lazy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Delivers the police's (and the cleanup's) mail without letting one bad address, or the mail
 * service's quota, stop a run: a refused message is recorded; in the SES sandbox a recipient who is
 * not verified is asked to verify (once) and the message waits for a later run; messages go no
 * faster than the account's sending rate (read once a run), a throttled one is retried after a
 * growing pause while the run's mail budget lasts, and what cannot go this run (budget spent, the
 * day's quota used up) is recorded as {@link Delivery.Outcome#DEFERRED}: not sent, so not marked
 * as told, and the next run sends it.
 */
public final class MailRoom {

  /** The longest pause after a throttled message. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
  /** The first pause after a throttled message when the rate is not known. */
  static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
  /** How long a run may spend waiting on the mail service (pacing, backing off), unless told. */
  public static final Duration DEFAULT_BUDGET = Duration.ofMinutes(5);

  private final Mailer mailer;
  private final Duration budget;
  private final LongSupplier nanos;
  private final SendPace.Sleeper sleeper;
  private final Map<String, Mailer.Verification> verified = new ConcurrentHashMap<>();
  /** This run's quota, read from the service at its first message; a new run reads it anew. */
  private volatile Lazy<Quota> run;

  public MailRoom(Mailer mailer) {
    this(mailer, DEFAULT_BUDGET, System::nanoTime, SendPace.Sleeper.THREAD);
  }

  /**
   * @param budget how long one run may spend waiting on the mail service, from {@link #startRun}
   * @param nanos a {@code nanoTime} clock; with {@code sleeper} injected so tests need no time to pass
   */
  public MailRoom(Mailer mailer, Duration budget, LongSupplier nanos, SendPace.Sleeper sleeper) {
    this.mailer = mailer;
    this.budget = budget;
    this.nanos = nanos;
    this.sleeper = sleeper;
    // Without startRun, the run's budget starts at its first message.
    this.run = Lazy.of(() -> readQuota(nanos.getAsLong()));
  }

  /** A new run: its budget starts now, and its first message reads the quota anew. */
  public void startRun() {
    long startedAt = nanos.getAsLong();
    run = Lazy.of(() -> readQuota(startedAt));
  }

  /** A message of an owner (or of anyone but the admins' digest): it leaves the day's last message to the admins. */
  public Delivery deliver(Email email, boolean dryRun) {
    return deliver(email, dryRun, 1);
  }

  /** The admins' digest: it may take the day's last message. */
  public Delivery deliverToAdmins(Email email, boolean dryRun) {
    return deliver(email, dryRun, 0);
  }

  private Delivery deliver(Email email, boolean dryRun, int keepForAdmins) {
    if (dryRun) {
      return new Delivery(email.to(), email.subject(), Delivery.Outcome.PLANNED, "dry run: not sent");
    }
    Quota quota = quota();
    if (mailer.sandboxed()) {
      List<String> requested = new ArrayList<>();
      List<String> pending = new ArrayList<>();
      for (String address : email.to()) {
        Mailer.Verification status = verified.computeIfAbsent(address, mailer::verification);
        if (status == Mailer.Verification.UNKNOWN) {
          mailer.requestVerification(address);
          verified.put(address, Mailer.Verification.PENDING);
          requested.add(address);
        } else if (status == Mailer.Verification.PENDING) {
          pending.add(address);
        }
      }
      if (!requested.isEmpty()) {
        return new Delivery(email.to(), email.subject(), Delivery.Outcome.VERIFICATION_REQUESTED,
            "SES is in its sandbox and " + String.join(", ", requested)
                + " had not verified; a verification email was sent, the reminder follows once confirmed");
      }
      if (!pending.isEmpty()) {
        return new Delivery(email.to(), email.subject(), Delivery.Outcome.AWAITING_VERIFICATION,
            "SES is in its sandbox and " + String.join(", ", pending) + " has not confirmed the verification email yet");
      }
    }
    return send(email, quota, keepForAdmins);
  }

  private Delivery send(Email email, Quota quota, int keepForAdmins) {
    Duration backoff = quota.pace.interval().isZero() ? FIRST_BACKOFF : quota.pace.interval().multipliedBy(2);
    try {
      while (true) {
        if (!quota.take(keepForAdmins)) {
          return deferred(email, "SES's daily sending quota is used up (" + quota.quota
              + " at the run's start); sent by a later run");
        }
        if (!quota.pace.acquire(quota.deadline)) {
          quota.giveBack();
          return deferred(email, "the run's mail budget (" + budget.toSeconds() + " s at SES's rate of "
              + quota.quota.maxSendRate() + " a second) ran out; sent by the next run");
        }
        try {
          mailer.send(email);
          return new Delivery(email.to(), email.subject(), Delivery.Outcome.SENT, "");
        } catch (Mailer.Throttled t) {
          quota.giveBack();
          if (t.daily()) {
            quota.exhausted();
            return deferred(email, "SES's daily sending quota is used up (" + t.getMessage() + "); sent by a later run");
          }
          if (nanos.getAsLong() + backoff.toNanos() - quota.deadline > 0) {
            return deferred(email, "SES throttled it (" + t.getMessage() + ") until the run's mail budget ran out; "
                + "sent by the next run");
          }
          sleeper.sleep(backoff);
          backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
      }
    } catch (Mailer.Undeliverable e) {
      return new Delivery(email.to(), email.subject(), Delivery.Outcome.REJECTED, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return deferred(email, "interrupted while waiting for SES's rate; sent by the next run");
    }
  }

  private static Delivery deferred(Email email, String why) {
    return new Delivery(email.to(), email.subject(), Delivery.Outcome.DEFERRED, why);
  }

  private Quota quota() {
    return run.get();
  }

  /** The quota as the service tells it now, for a run started at {@code startedAt} ({@code nanos}). */
  private Quota readQuota(long startedAt) {
    SendQuota read = mailer.quota();
    return new Quota(read, new SendPace(read.maxSendRate(), nanos, sleeper), startedAt + budget.toNanos());
  }

  /** One run's pace and what is left of the day's quota. */
  private static final class Quota {
    final SendQuota quota;
    final SendPace pace;
    final long deadline;
    private long left;
    private final boolean daily;
    private boolean spent;

    Quota(SendQuota quota, SendPace pace, long deadline) {
      this.quota = quota;
      this.pace = pace;
      this.deadline = deadline;
      this.daily = quota.remainingToday().isPresent();
      this.left = quota.remainingToday().orElse(0);
    }

    synchronized boolean take(int keep) {
      if (spent) {
        return false;
      }
      if (!daily) {
        return true;
      }
      if (left <= keep) {
        return false;
      }
      left--;
      return true;
    }

    synchronized void giveBack() {
      if (daily) {
        left++;
      }
    }

    synchronized void exhausted() {
      spent = true;
    }
  }
}

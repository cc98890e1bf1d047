package io.studiocp.police;

/** Sends mail (SES). */
public interface Mailer {

  enum Verification { VERIFIED, PENDING, UNKNOWN }

  /** Whether the account may mail only verified recipients: asked of the service (auto), or set. */
  enum SandboxMode { AUTO, TRUE, FALSE }

  /** Whether the account may mail only verified recipients (the SES sandbox). */
  boolean sandboxed();

  /**
   * The account's sending quota as the service tells it now ({@link SendQuota#UNLIMITED} when it
   * tells none, as moto's stand-in does, or cannot be asked).
   */
  SendQuota quota();

  Verification verification(String address);

  /** Asks the address's owner to confirm it (SES mails them a link). */
  void requestVerification(String address);

  /**
   * @throws Undeliverable when the service refuses this message (the run goes on)
   * @throws Throttled when the service refuses it for now: too fast, or the day's quota is used up
   */
  void send(Email email);

  /** The service refused a message; {@code reason} says why, for the admins. */
  final class Undeliverable extends RuntimeException {
    public Undeliverable(String reason) {
      super(reason);
    }
  }

  /**
   * The service did not take the message for now: sent faster than the account's rate, or, when
   * {@code daily}, the account's quota of the last 24 hours is used up (nothing more goes today).
   */
  final class Throttled extends RuntimeException {
    private final boolean daily;

    public Throttled(String reason, boolean daily) {
      super(reason);
      this.daily = daily;
    }

    public boolean daily() {
      return daily;
    }
  }
}

package io.studiocp.police;

/** Sends mail (SES). */
public interface Mailer {

  enum Verification { VERIFIED, PENDING, UNKNOWN }

  /** Whether the account may mail only verified recipients: asked of the service (auto), or set. */
  enum SandboxMode { AUTO, TRUE, FALSE }

  /** Whether the account may mail only verified recipients (the SES sandbox). */
  boolean sandboxed();

  Verification verification(String address);

  /** Asks the address's owner to confirm it (SES mails them a link). */
  void requestVerification(String address);

  /** @throws Undeliverable when the service refuses this message (the run goes on) */
  void send(Email email);

  /** The service refused a message; {@code reason} says why, for the admins. */
  final class Undeliverable extends RuntimeException {
    public Undeliverable(String reason) {
      super(reason);
    }
  }
}

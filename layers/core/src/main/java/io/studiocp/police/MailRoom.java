package io.studiocp.police;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivers the police's mail without letting one bad address stop a run: a refused message is
 * recorded, and in the SES sandbox a recipient who is not verified is asked to verify (once) and
 * the message waits for a later run.
 */
public final class MailRoom {

  private final Mailer mailer;
  private final Map<String, Mailer.Verification> verified = new ConcurrentHashMap<>();

  public MailRoom(Mailer mailer) {
    this.mailer = mailer;
  }

  public Delivery deliver(Email email, boolean dryRun) {
    if (dryRun) {
      return new Delivery(email.to(), email.subject(), Delivery.Outcome.PLANNED, "dry run: not sent");
    }
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
    try {
      mailer.send(email);
      return new Delivery(email.to(), email.subject(), Delivery.Outcome.SENT, "");
    } catch (Mailer.Undeliverable e) {
      return new Delivery(email.to(), email.subject(), Delivery.Outcome.REJECTED, e.getMessage());
    }
  }
}

package io.studiocp.police;

import java.util.List;

/** What became of one message. */
public record Delivery(List<String> to, String subject, Outcome outcome, String detail) {

  public enum Outcome {
    SENT,
    /** Not sent: a dry run. */
    PLANNED,
    /** The service refused it (for example MessageRejected). */
    REJECTED,
    /** SES sandbox: a recipient is not verified yet; verification was requested in this run. */
    VERIFICATION_REQUESTED,
    /** SES sandbox: a recipient was asked to verify before and has not yet. */
    AWAITING_VERIFICATION,
    /** Not sent this run: the mail service's rate or daily quota (the next run sends it). */
    DEFERRED
  }

  public Delivery {
    to = List.copyOf(to);
  }

  public boolean delivered() {
    return outcome == Outcome.SENT;
  }
}

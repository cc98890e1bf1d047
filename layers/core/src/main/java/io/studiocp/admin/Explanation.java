package io.studiocp.admin;

import java.util.List;

/**
 * Why one resource still runs, or why it was stopped: its state, its last activity signal and
 * time, the rule that applies (or applied), when it will be reminded or stopped, and any snooze or
 * exemption in force. {@code why} says it in sentences, in that order.
 */
public record Explanation(String target, String state, String rule, String lastActivityAt, String lastActivitySignal,
    String policeRule, String policeAction, String nextReminderAt, String stopAt, String snoozedUntil,
    Boolean exempt, String exemptReason, Double costSoFarUsd, Double costPerDayUsd, List<String> why) {

  public Explanation {
    why = List.copyOf(why);
  }
}

package io.studiocp.police;

/** What a run does about one long-running resource. */
public enum PoliceAction {
  /** Tell the owner (first time, or a reminder interval after the last time). */
  REMIND,
  /** Tell the owner it will be stopped one reminder interval from now. */
  FINAL_NOTICE,
  /** Stop it, as the policy says, and tell the owner and the admins. */
  STOP,
  /** Told recently: nothing until the reminder interval has passed. */
  WAIT,
  /** Tagged studiocp:exempt. */
  EXEMPT,
  /** Tagged studiocp:snooze-until a time still ahead. */
  SNOOZED;

  /** Whether the owner hears about it in this run. */
  public boolean notifies() {
    return this == REMIND || this == FINAL_NOTICE || this == STOP;
  }
}

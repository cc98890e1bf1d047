package io.studiocp.police;

/** Tags the police read and write on the resources they watch. */
public final class PoliceTags {

  private PoliceTags() {}

  /** Any value but "false": never reminded, never stopped. */
  public static final String EXEMPT = "studiocp:exempt";
  /** An ISO-8601 time (or date): left alone until then. */
  public static final String SNOOZE_UNTIL = "studiocp:snooze-until";
  /** When the owner was first told; the grace period counts from here. */
  public static final String FIRST_REMINDED_AT = "studiocp:first-reminded-at";
  /** When the owner was last told. */
  public static final String REMINDED_AT = "studiocp:reminded-at";
  /** When the final notice went out. */
  public static final String FINAL_NOTICE_AT = "studiocp:final-notice-at";
  /** When the police stopped it. */
  public static final String STOPPED_AT = "studiocp:stopped-by-police-at";
}

package io.studiocp.admin;

import io.studiocp.police.PoliceTags;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The police's marks on a resource, as the report and explain show them, and the admin's own. */
public final class PoliceMarks {

  private PoliceMarks() {}

  /** Why an admin exempted a resource (kept beside {@link PoliceTags#EXEMPT}). */
  public static final String EXEMPT_REASON = "studiocp:exempt-reason";
  /** Why an admin snoozed a resource (kept beside {@link PoliceTags#SNOOZE_UNTIL}). */
  public static final String SNOOZE_REASON = "studiocp:snooze-reason";

  static final List<String> KEYS = List.of(PoliceTags.EXEMPT, EXEMPT_REASON, PoliceTags.SNOOZE_UNTIL, SNOOZE_REASON,
      PoliceTags.FIRST_REMINDED_AT, PoliceTags.REMINDED_AT, PoliceTags.FINAL_NOTICE_AT, PoliceTags.STOPPED_AT);

  /** The marks among a resource's tags, by their names without the prefix ("exempt", "reminded-at"). */
  static Map<String, String> of(Map<String, String> tags) {
    Map<String, String> marks = new TreeMap<>();
    for (String key : KEYS) {
      String value = tags.get(key);
      if (value != null && !value.isBlank()) {
        marks.put(key.substring("studiocp:".length()), value);
      }
    }
    return marks;
  }
}

package io.studiocp.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How much a user's home directory on the domain's EFS holds, and when it was measured: kept by
 * the usage job as a tag on the user profile ({@value #TAG}: "{@code <bytes> <ISO instant>}"), so
 * that the report reads it with the profiles' tags it sweeps anyway.
 */
public record HomeUsage(long bytes, Instant measuredAt) {

  public static final String TAG = "studiocp:home-usage";

  public static Optional<HomeUsage> parse(String tag) {
    if (tag == null) {
      return Optional.empty();
    }
    String[] parts = tag.strip().split(" ");
    if (parts.length != 2) {
      return Optional.empty();
    }
    try {
      return Optional.of(new HomeUsage(Long.parseLong(parts[0]), Instant.parse(parts[1])));
    } catch (NumberFormatException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  public String tagValue() {
    return bytes + " " + measuredAt;
  }

  /** Bytes as people read them: 1.5 GiB. */
  public static String readable(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}

package io.studiocp.police;

import java.util.OptionalLong;

/**
 * What the mail service lets the account send (SES's {@code SendQuota}): at most
 * {@code maxSendRate} messages a second ({@code 0} or less: no limit known), and
 * {@code remainingToday} more in the rolling 24 hours (empty: no limit known).
 */
public record SendQuota(double maxSendRate, OptionalLong remainingToday) {

  public static final SendQuota UNLIMITED = new SendQuota(0, OptionalLong.empty());

  /**
   * From SES's figures: {@code max24HourSend} below zero means no daily limit (SES's own
   * convention for an unlimited quota).
   */
  public static SendQuota of(double maxSendRate, double max24HourSend, double sentLast24Hours) {
    return new SendQuota(maxSendRate, max24HourSend < 0 ? OptionalLong.empty()
        : OptionalLong.of(Math.max(0, (long) Math.floor(max24HourSend - sentLast24Hours))));
  }

  public boolean limited() {
    return maxSendRate > 0 || remainingToday.isPresent();
  }

  @Override
  public String toString() {
    return (maxSendRate > 0 ? maxSendRate + " a second" : "no rate limit")
        + remainingToday.stream().mapToObj(n -> ", " + n + " more today").findFirst().orElse("");
  }
}

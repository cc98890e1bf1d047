package io.studiocp.pricing;

/** Amounts of US dollars as the mail and the reports show them. */
public final class Dollars {

  private Dollars() {}

  /**
   * Dollars and cents with thousands grouped, as {@code "$%,.2f"} prints them ({@code $1,234.50}),
   * without the Formatter: a police run at scale renders thousands of amounts, and the Formatter's
   * parsing and locale look-ups were a large part of rendering the digests.
   */
  public static String format(double usd) {
    long cents = Math.round(Math.abs(usd) * 100);
    String dollars = Long.toString(cents / 100);
    StringBuilder out = new StringBuilder(dollars.length() + 8).append('$');
    if (usd < 0 && cents > 0) {
      out.append('-');
    }
    for (int i = 0; i < dollars.length(); i++) {
      if (i > 0 && (dollars.length() - i) % 3 == 0) {
        out.append(',');
      }
      out.append(dollars.charAt(i));
    }
    long rest = cents % 100;
    return out.append('.').append(rest < 10 ? "0" : "").append(rest).toString();
  }
}

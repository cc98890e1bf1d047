package io.studiocp.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Amounts in the digests and reports read as the Formatter's "$%,.2f" printed them. */
class DollarsTest {

  @Test
  void amountsAreDollarsAndCentsWithThousandsGrouped() {
    assertEquals("$0.00", Dollars.format(0));
    assertEquals("$0.05", Dollars.format(0.049));
    assertEquals("$22.50", Dollars.format(22.5));
    assertEquals("$1,234.57", Dollars.format(1234.567));
    assertEquals("$1,000,000.00", Dollars.format(999_999.999));
    assertEquals("$-3.20", Dollars.format(-3.2));
  }

  @Test
  void theSameAsTheFormatterOverManyAmounts() {
    for (int i = 0; i < 200_000; i += 7) {
      double usd = i * 0.37;
      assertEquals(String.format(Locale.ROOT, "$%,.2f", usd), Dollars.format(usd), "for " + usd);
    }
  }
}

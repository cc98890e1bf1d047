package io.studiocp.police;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Amounts in the digests read as the Formatter's "$%,.2f" printed them. */
class DigestsMoneyTest {

  @Test
  void amountsAreDollarsAndCentsWithThousandsGrouped() {
    assertEquals("$0.00", Digests.money(0));
    assertEquals("$0.05", Digests.money(0.049));
    assertEquals("$22.50", Digests.money(22.5));
    assertEquals("$1,234.57", Digests.money(1234.567));
    assertEquals("$1,000,000.00", Digests.money(999_999.999));
    assertEquals("$-3.20", Digests.money(-3.2));
  }

  @Test
  void theSameAsTheFormatterOverManyAmounts() {
    for (int i = 0; i < 200_000; i += 7) {
      double usd = i * 0.37;
      assertEquals(String.format(Locale.ROOT, "$%,.2f", usd), Digests.money(usd), "for " + usd);
    }
  }
}

package io.studiocp.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.platform.ConfigurationException;
import io.studiocp.platform.Env;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PriceListTest {

  private static final PriceList SHIPPED = PriceList.shipped();

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "m5.large, 0.096",       // a family priced per large
      "m5.xlarge, 0.192",
      "m5.4xlarge, 0.768",
      "t3.medium, 0.0416",
      "t3.nano, 0.0052",
      "ml.t3.medium, 0.05",    // SageMaker's own families
      "ml.m5.xlarge, 0.23",
      "g4dn.xlarge, 0.526",    // GPU types are listed one by one
      "ml.g4dn.xlarge, 0.7364",
  })
  void theShippedTableKnowsTheCommonTypes(String type, double hourly) {
    assertEquals(hourly, SHIPPED.hourly(type).orElseThrow(), 1e-9);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"g4dn.48xlarge", "x2iezn.xlarge", "m5.metal", "not-a-type"})
  void anUnpricedTypeHasNoPriceRatherThanZero(String type) {
    assertEquals(Optional.empty(), SHIPPED.hourly(type));
    assertEquals(Optional.empty(), SHIPPED.hourly(null));
  }

  @Test
  void costsFollowTheClockAndStoppedHostsPayForTheirVolume() {
    assertEquals(0.192 * 2.5, SHIPPED.cost("m5.xlarge", Duration.ofMinutes(150)).orElseThrow(), 1e-9);
    // 100 GiB of gp3 at $0.08 per GiB-month, for a 730-hour month
    assertEquals(8.0 / 730, SHIPPED.volumeHourly(100), 1e-12);
    assertEquals(8.0, SHIPPED.volumeCost(100, Duration.ofHours(730)), 1e-9);
  }

  @Test
  void overridesReplaceAndAddFigures() {
    PriceList prices = PriceList.from(Env.of(Map.of("PRICE_OVERRIDES",
        "{\"hourlyUsd\": {\"m5.xlarge\": 0.2, \"x2iezn.xlarge\": 1.0}, \"perLargeHourUsd\": {\"m8g\": 0.1},"
            + " \"gp3GiBMonthUsd\": 0.1}")));
    assertEquals(0.2, prices.hourly("m5.xlarge").orElseThrow(), 1e-9);
    assertEquals(0.384, prices.hourly("m5.2xlarge").orElseThrow(), 1e-9);
    assertEquals(1.0, prices.hourly("x2iezn.xlarge").orElseThrow(), 1e-9);
    assertEquals(0.2, prices.hourly("m8g.xlarge").orElseThrow(), 1e-9);
    assertEquals(10.0 / 730, prices.volumeHourly(100), 1e-12);
    assertEquals(0.5, prices.withHourly(Map.of("m5.xlarge", 0.5)).hourly("m5.xlarge").orElseThrow(), 1e-9);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{|is not JSON",
      "[]|must be a JSON object",
      "{\"hourly\": {}}|unknown key 'hourly'",
      "{\"hourlyUsd\": {\"m5.large\": -1}}|hourlyUsd.m5.large must be a price",
      "{\"hourlyUsd\": [1]}|hourlyUsd must map names",
      "{\"gp3GiBMonthUsd\": \"cheap\"}|gp3GiBMonthUsd must be a price",
  })
  void aBadOverrideFailsInitNamingTheParameter(String value, String expected) {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> PriceList.from(Env.of(Map.of("PRICE_OVERRIDES", value))));
    assertTrue(e.getMessage().contains("PriceOverrides") && e.getMessage().contains(expected), e.getMessage());
  }
}

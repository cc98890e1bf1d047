package io.studiocp.hosts.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.hosts.HostPolicy;
import io.studiocp.platform.ConfigurationException;
import io.studiocp.platform.Env;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolSettingsTest {

  private final HostPolicy policy = HostPolicy.from(Env.of(Map.of("ALLOWED_INSTANCE_TYPES", "m5.*,g5.*")));

  @Test
  void noSettingIsNoPool() {
    PoolSettings none = PoolSettings.from(Env.of(Map.of()), policy);
    assertTrue(none.isEmpty());
    assertEquals(0, none.desired("d-abc", "m5.xlarge", Instant.parse("2026-12-07T10:00:00Z")));
    assertTrue(PoolSettings.parse("{}", policy).isEmpty());
  }

  @Test
  void sizesWithoutHoursHoldAlways() {
    PoolSettings pool = PoolSettings.from(Env.of(Map.of("WARM_POOL",
        "{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 2, \"g5.xlarge\": 0}}}")), policy);
    assertEquals(2, pool.desired("d-abc", "m5.xlarge", Instant.parse("2026-12-06T03:00:00Z")));
    assertEquals(0, pool.desired("d-abc", "g5.xlarge", Instant.parse("2026-12-06T03:00:00Z")));
    assertEquals(0, pool.desired("d-other", "m5.xlarge", Instant.parse("2026-12-06T03:00:00Z")));
    assertEquals(Map.of("m5.xlarge", 2), pool.sizes("d-abc"), "a size of 0 is no pool");
  }

  @Test
  void hoursAreLocalToTheirZone() {
    PoolSettings pool = PoolSettings.parse("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}, \"hours\": {\"zone\": "
        + "\"Europe/Berlin\", \"days\": \"MON-FRI\", \"from\": \"08:00\", \"to\": \"19:00\"}}}", policy);
    // Monday 7 December 2026: Berlin is UTC+1.
    assertEquals(1, pool.desired("d-abc", "m5.xlarge", Instant.parse("2026-12-07T07:00:00Z")), "08:00 in Berlin");
    assertEquals(0, pool.desired("d-abc", "m5.xlarge", Instant.parse("2026-12-07T06:59:00Z")), "07:59 in Berlin");
    assertEquals(0, pool.desired("d-abc", "m5.xlarge", Instant.parse("2026-12-07T18:00:00Z")), "19:00 in Berlin");
    assertEquals(0, pool.desired("d-abc", "m5.xlarge", Instant.parse("2026-12-06T12:00:00Z")), "a Sunday");
    assertEquals(Map.of("m5.xlarge", 1), pool.sizes("d-abc"), "the size holds whatever the hour");
  }

  @Test
  void daysTakeListsAndRangesAcrossTheWeekEnd() {
    PoolSettings pool = PoolSettings.parse("{\"d-abc\": {\"sizes\": {\"m5.large\": 1}, \"hours\": {\"zone\": "
        + "\"UTC\", \"days\": \"FRI-MON,WED\", \"from\": \"00:00\", \"to\": \"24:00\"}}}", policy);
    assertEquals(1, pool.desired("d-abc", "m5.large", Instant.parse("2026-12-06T23:59:00Z")), "Sunday");
    assertEquals(1, pool.desired("d-abc", "m5.large", Instant.parse("2026-12-09T12:00:00Z")), "Wednesday");
    assertEquals(0, pool.desired("d-abc", "m5.large", Instant.parse("2026-12-08T12:00:00Z")), "Tuesday");
  }

  @Test
  void badSettingsNameTheParameterAndWhatToChange() {
    assertRefused("[1]", "must be a JSON object");
    assertRefused("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}", "is not JSON");
    assertRefused("{\"abc\": {\"sizes\": {}}}", "'abc' is not a Studio domain id");
    assertRefused("{\"d-abc\": {\"size\": {}}}", "only \"sizes\" and \"hours\"");
    assertRefused("{\"d-abc\": {\"sizes\": {\"c5.xlarge\": 1}}}", "not allowed by parameter AllowedInstanceTypes");
    assertRefused("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": -1}}}", "whole number from 0 to 20");
    assertRefused("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": \"1\"}}}", "whole number from 0 to 20");
    assertRefused("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}, \"hours\": {\"zone\": \"Mars/Base\", "
        + "\"from\": \"08:00\", \"to\": \"19:00\"}}}", "is not a time zone");
    assertRefused("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}, \"hours\": {\"zone\": \"UTC\", \"days\": \"MO-FR\", "
        + "\"from\": \"08:00\", \"to\": \"19:00\"}}}", "must name days as MON");
    assertRefused("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}, \"hours\": {\"zone\": \"UTC\", "
        + "\"from\": \"8am\", \"to\": \"19:00\"}}}", "as HH:MM");
    assertRefused("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}, \"hours\": {\"zone\": \"UTC\", "
        + "\"from\": \"19:00\", \"to\": \"08:00\"}}}", "must be before");
  }

  private void assertRefused(String json, String expected) {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> PoolSettings.parse(json, policy));
    assertTrue(e.getMessage().startsWith("parameter WarmPool (environment variable WARM_POOL)"), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}

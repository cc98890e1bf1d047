package io.studiocp.hosts.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.HostTags;
import io.studiocp.platform.Env;
import io.studiocp.pricing.PriceList;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The warm pool's cost: the hosts waiting now and each pool's month as configured, from the price list. */
class PoolCostsTest {

  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  private final HostPolicy policy = HostPolicy.from(Env.of(Map.of("ALLOWED_INSTANCE_TYPES", "m5.*,g5.xlarge,x9.*")));
  private final PriceList prices = PriceList.shipped();

  private static HostInstance pooled(String id, String domain, String type, Duration waited, String state) {
    return new HostInstance(id, state, type, "subnet-1", null, null, NOW.minus(waited), Map.of(
        HostTags.MANAGED, "true", HostTags.POOL, domain, HostTags.STATE, HostTags.POOLED,
        HostTags.CREATED_AT, NOW.minus(waited).toString(), HostTags.VOLUME_GIB, "100"));
  }

  @Test
  void aBusinessHoursPoolCostsItsHoursAMonthAndTheWaitingHostItsHourSoFar() {
    PoolSettings settings = PoolSettings.parse("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}, \"hours\": {\"zone\": "
        + "\"Europe/Berlin\", \"days\": \"MON-FRI\", \"from\": \"08:00\", \"to\": \"19:00\"}}}", policy);
    List<PoolCosts.DomainPoolCost> costs = new PoolCosts(settings, prices, 100)
        .of(List.of(pooled("i-1", "d-abc", "m5.xlarge", Duration.ofHours(3), "running")), List.of(), NOW);

    assertEquals(1, costs.size());
    PoolCosts.DomainPoolCost pool = costs.getFirst();
    double hourly = 0.192 + 100 * 0.08 / 730;
    PoolCosts.ConfiguredPool configured = pool.configured().getFirst();
    assertEquals(239.15, configured.hoursPerMonth(), 0.01, "11 h x 5 days x 4.35 weeks");
    assertEquals(48.54, configured.monthlyUsd(), 0.011, "the README's $48.5");
    assertEquals(48.54, pool.monthlyUsd(), 0.011);
    PoolCosts.WaitingHost waiting = pool.waiting().getFirst();
    assertEquals("i-1", waiting.instanceId());
    assertEquals("m5.xlarge", waiting.instanceType());
    assertEquals(3.0, waiting.waitedHours());
    assertEquals(hourly, waiting.hourlyUsd(), 0.0001);
    assertEquals(Math.round(3 * hourly * 100) / 100.0, waiting.costSoFarUsd());
    assertEquals("MON,TUE,WED,THU,FRI 08:00-19:00 Europe/Berlin", pool.hours());
  }

  @Test
  void aPoolKeptAroundTheClockCostsEveryHourOfTheMonthTimesItsSize() {
    PoolSettings settings = PoolSettings.parse("{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 2, \"g5.xlarge\": 0}}}", policy);
    PoolCosts.DomainPoolCost pool = new PoolCosts(settings, prices, 100).of(List.of(), List.of(), NOW).getFirst();
    assertEquals("around the clock", pool.hours());
    assertEquals(List.of(2), pool.configured().stream().map(PoolCosts.ConfiguredPool::size).toList(),
        "a size of 0 is no pool");
    assertEquals(Math.round(2 * 730 * (0.192 + 100 * 0.08 / 730) * 100) / 100.0, pool.monthlyUsd(), 0.011);
    assertEquals(List.of(), pool.waiting());
  }

  @Test
  void waitingHostsOfAPoolNoLongerConfiguredAreListedAndUnpricedTypesSaySo() {
    List<PoolCosts.DomainPoolCost> costs = new PoolCosts(PoolSettings.none(), prices, 100).of(List.of(
        pooled("i-2", "d-old", "x9.weird", Duration.ofMinutes(30), "running"),
        pooled("i-3", "d-old", "m5.large", Duration.ofMinutes(90), "running"),
        pooled("i-4", "d-old", "m5.large", Duration.ofMinutes(90), "shutting-down"),
        pooled("i-5", "d-other", "m5.large", Duration.ofMinutes(90), "running")), List.of("d-old"), NOW);

    assertEquals(List.of("d-old"), costs.stream().map(PoolCosts.DomainPoolCost::domainId).toList(),
        "only the domains asked for");
    PoolCosts.DomainPoolCost pool = costs.getFirst();
    assertEquals(List.of("i-3", "i-2"), pool.waiting().stream().map(PoolCosts.WaitingHost::instanceId).toList(),
        "by type; one on its way out is not waiting");
    assertNull(pool.waiting().get(1).hourlyUsd(), "no price: unknown, never free");
    assertEquals("not configured", pool.hours());
    assertEquals(0.0, pool.monthlyUsd());
    String text = PoolCosts.summary(costs);
    assertTrue(text.contains("d-old, kept not configured: no pool configured") && text.contains("no price for its type")
        && text.contains("i-3"), text);
  }
}

package io.studiocp.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.pricing.PriceList;
import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a host costs per hour in each state: a stopped one its volume only, a gone one nothing. */
class HostCostsTest {

  private static final PriceList PRICES = PriceList.shipped();

  private static Host host(HostState state, String type, Integer volumeGiB) {
    return new Host(new HostId("h-00000000000000dd"), new StudioUser("d-abc123", "alice"), state, type, "i-1",
        "subnet-1", null, 1111, List.of(), "/home", Instant.EPOCH, null, null, null, null, null, volumeGiB);
  }

  @Test
  void aRunningHostCostsItsInstanceAndItsVolume() {
    double instance = PRICES.hourly("g4dn.xlarge").orElseThrow();
    double volume = PRICES.volumeHourly(100);
    assertEquals(instance + volume, HostCosts.hourly(host(HostState.READY, "g4dn.xlarge", 100), PRICES).orElseThrow(),
        1e-9);
    assertEquals(instance + volume, HostCosts.hourly(host(HostState.PROVISIONING, "g4dn.xlarge", 100), PRICES)
        .orElseThrow(), 1e-9);
  }

  @Test
  void aStoppedHostCostsItsVolumeOnly() {
    double stopped = HostCosts.hourly(host(HostState.STOPPED, "g4dn.xlarge", 100), PRICES).orElseThrow();
    assertEquals(100 * 0.08 / 730, stopped, 1e-6);
    assertTrue(stopped < PRICES.hourly("g4dn.xlarge").orElseThrow() / 10);
  }

  @Test
  void goneHostsCostNothingAndUnknownsStayUnknown() {
    assertEquals(0.0, HostCosts.hourly(host(HostState.TERMINATED, "g4dn.xlarge", 100), PRICES).orElseThrow());
    assertTrue(HostCosts.hourly(host(HostState.READY, "x9.nosuch", 100), PRICES).isEmpty());
    assertTrue(HostCosts.hourly(host(HostState.STOPPED, "g4dn.xlarge", null), PRICES).isEmpty());
  }
}

package io.studiocp.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SandboxSlotTest {

  private static SandboxSlot slot(int n) {
    return new SandboxSlot(n, Path.of("/run/studiocp", Integer.toString(n)));
  }

  @Test
  void everyInstanceAddressAndNetworkPoolLiesInItsSlotsRanges() {
    for (int n : new int[] {0, 1, SandboxSlot.COUNT - 1}) {
      SandboxSlot slot = slot(n);
      for (int d : new int[] {0, 15}) {
        for (int s : new int[] {0, 15}) {
          String subnet = slot.subnetCidr(d, s);
          assertTrue(Reaper.contains(slot.hostAddresses(), subnet.split("/")[0]), subnet);
          assertTrue(Reaper.contains(slot.vpcCidr(d), subnet.split("/")[0]), subnet + " in " + slot.vpcCidr(d));
        }
      }
      for (int i : new int[] {0, 1, SandboxSlot.INSTANCES - 1}) {
        String pool = slot.hostNetworkPool(i);
        assertTrue(Reaper.contains(slot.hostNetworks(), pool.split("/")[0]), pool);
        assertTrue(pool.endsWith("/24"));
      }
    }
  }

  @Test
  void noTwoSlotsShareAnAddressOrANetwork() {
    Set<String> addresses = new HashSet<>();
    Set<String> pools = new HashSet<>();
    for (int n = 0; n < SandboxSlot.COUNT; n++) {
      SandboxSlot slot = slot(n);
      for (int d = 0; d < 16; d++) {
        for (int s = 0; s < 16; s++) {
          assertTrue(addresses.add(slot.subnetCidr(d, s)), slot.subnetCidr(d, s));
        }
      }
      for (int i = 0; i < SandboxSlot.INSTANCES; i++) {
        assertTrue(pools.add(slot.hostNetworkPool(i)), slot.hostNetworkPool(i));
      }
      for (int m = 0; m < n; m++) {
        assertFalse(Reaper.contains(slot(m).hostNetworks(), slot.hostNetworks().split("/")[0]));
        assertFalse(Reaper.contains(slot(m).hostAddresses(), slot.hostAddresses().split("/")[0]));
      }
    }
  }

  @Test
  void theFirstSandboxKeepsTheUsualPortAndAddresses() {
    assertEquals(8480, slot(0).defaultApiPort());
    assertEquals(8483, slot(3).defaultApiPort());
    assertEquals("127.100.0.0/20", slot(0).vpcCidr(0));
    assertEquals("127.103.17.0/24", slot(3).subnetCidr(1, 1));
    assertEquals("10.195.7.0/24", slot(3).hostNetworkPool(7));
    assertEquals("/run/studiocp/3/", slot(3).marker());
  }

  @Test
  void outOfRangeSlotsAndIndexesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> slot(SandboxSlot.COUNT));
    assertThrows(IllegalArgumentException.class, () -> slot(-1));
    assertThrows(IllegalArgumentException.class, () -> slot(0).subnetCidr(0, 16));
    assertThrows(IllegalArgumentException.class, () -> slot(0).vpcCidr(16));
    assertThrows(IllegalArgumentException.class, () -> slot(0).hostNetworkPool(-1));
  }
}

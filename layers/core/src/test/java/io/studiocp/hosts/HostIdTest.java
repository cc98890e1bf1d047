package io.studiocp.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.studio.StudioUser;
import org.junit.jupiter.api.Test;

class HostIdTest {

  private final StudioUser alice = new StudioUser("d-abc", "alice");
  private final StudioUser bob = new StudioUser("d-abc", "bob");

  @Test
  void theSameOwnerAndKeyNameTheSameHost() {
    assertEquals(HostId.derive(alice, "k1"), HostId.derive(alice, "k1"));
    assertNotEquals(HostId.derive(alice, "k1"), HostId.derive(alice, "k2"));
    assertNotEquals(HostId.derive(alice, "k1"), HostId.derive(bob, "k1"), "keys are per owner");
  }

  @Test
  void theOwnerPrefixPicksOutAUsersHosts() {
    HostId id = HostId.derive(alice, "k1");
    assertTrue(id.belongsTo(alice));
    assertFalse(id.belongsTo(bob));
    assertTrue(HostId.isValid(id.value()));
    assertEquals(18, id.value().length());
  }

  @Test
  void refusesWhatIsNotAHostId() {
    assertThrows(IllegalArgumentException.class, () -> new HostId("i-0123456789abcdef0"));
    assertFalse(HostId.isValid("h-XYZ"));
  }
}

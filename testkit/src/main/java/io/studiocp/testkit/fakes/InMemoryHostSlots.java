package io.studiocp.testkit.fakes;

import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostSlots;
import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Host slots in memory, taken atomically as EC2 takes a security group name. */
public final class InMemoryHostSlots implements HostSlots {

  private final Map<String, Slot> taken = new LinkedHashMap<>();

  private static String key(StudioUser user, String vpcId, int slot) {
    return vpcId + "/" + user.owner() + "/" + slot;
  }

  @Override
  public synchronized OptionalInt claim(StudioUser user, HostId host, String vpcId, int limit, Instant now,
      List<Slot> seen) {
    for (Slot held : seen) {
      if (held.host().equals(host)) {
        return OptionalInt.of(held.number());
      }
    }
    for (int slot = 1; slot <= limit; slot++) {
      if (taken.putIfAbsent(key(user, vpcId, slot), new Slot(slot, host, now)) == null) {
        return OptionalInt.of(slot);
      }
    }
    return OptionalInt.empty();
  }

  @Override
  public synchronized List<Slot> holders(StudioUser user, String vpcId) {
    List<Slot> holders = new ArrayList<>();
    String prefix = vpcId + "/" + user.owner() + "/";
    taken.forEach((key, slot) -> {
      if (key.startsWith(prefix)) {
        holders.add(slot);
      }
    });
    return holders;
  }

  @Override
  public synchronized void release(HostId host) {
    taken.values().removeIf(slot -> slot.host().equals(host));
  }

  /** How many slots are held, by anyone. */
  public synchronized int held() {
    return taken.size();
  }
}

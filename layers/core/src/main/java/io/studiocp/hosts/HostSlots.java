package io.studiocp.hosts;

import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/**
 * A user's numbered host slots, 1 to MaxHostsPerUser: a host holds one from its request until it
 * is gone. A slot is something AWS itself refuses to make twice (in EC2, a security group named
 * for the user and the number in the domain's VPC), so two requests at once can never take the
 * same slot, and the limit holds under concurrency without a database.
 */
public interface HostSlots {

  /** A held slot: its number, its host, and when it was taken. */
  record Slot(int number, HostId host, Instant claimedAt) {}

  /**
   * Takes a free slot of the user's for the host, or finds the one it holds already (a retried
   * request), given {@code held}, a reading of {@link #holders} (a request makes it alongside its
   * other readings; the claim reads nothing itself). The reading tells the slot the host holds
   * already and which numbers to try last; every number is still tried, and taking one stays AWS's
   * refusal to make a slot twice. Empty when every slot up to {@code limit} is held.
   */
  OptionalInt claim(StudioUser user, HostId host, String vpcId, int limit, Instant now, List<Slot> held);

  /** {@link #claim(StudioUser, HostId, String, int, Instant, List)} with the user's slots read now. */
  default OptionalInt claim(StudioUser user, HostId host, String vpcId, int limit, Instant now) {
    return claim(user, host, vpcId, limit, now, holders(user, vpcId));
  }

  /** The user's held slots. */
  List<Slot> holders(StudioUser user, String vpcId);

  /** Gives back the slot the host holds, if any. */
  void release(HostId host);
}

package io.studiocp.hosts.aws;

import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostSlots;
import io.studiocp.hosts.HostTags;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Host slots as empty security groups ({@code studiocp-slot-<domain>-<profile>-<n>}, no rules, on
 * no instance) in the domain's VPC: CreateSecurityGroup refuses a second group of the same name
 * in a VPC ({@code InvalidGroup.Duplicate}), atomically, so a slot is taken by one request only.
 * Each slot is tagged with its host, its owner and {@code studiocp:role=host-slot}; the host
 * events and the cleanup delete it once its host is gone.
 */
public final class Ec2HostSlots implements HostSlots {

  static final String ROLE = "host-slot";
  static final String CLAIMED_AT = "studiocp:claimed-at";

  private final SecurityGroups groups;

  public Ec2HostSlots(AwsQueryClient ec2) {
    this.groups = new SecurityGroups(ec2);
  }

  static String name(StudioUser user, int slot) {
    return "studiocp-slot-" + user.domainId() + "-" + user.userProfileName() + "-" + slot;
  }

  @Override
  public OptionalInt claim(StudioUser user, HostId host, String vpcId, int limit, Instant now, List<Slot> held) {
    for (Slot slot : held) {
      if (slot.host().equals(host)) {
        return OptionalInt.of(slot.number());
      }
    }
    // The numbers the reading saw free first: a held one is tried too (it may have been given back
    // since), but last, so that a user's held slots cost no refused call while a free one is left.
    Set<Integer> seenHeld = held.stream().map(Slot::number).collect(Collectors.toSet());
    List<Integer> order = new ArrayList<>();
    IntStream.rangeClosed(1, limit).filter(n -> !seenHeld.contains(n)).forEach(order::add);
    IntStream.rangeClosed(1, limit).filter(seenHeld::contains).forEach(order::add);
    for (int slot : order) {
      if (create(user, host, vpcId, slot, now)) {
        return OptionalInt.of(slot);
      }
    }
    return OptionalInt.empty();
  }

  private boolean create(StudioUser user, HostId host, String vpcId, int slot, Instant now) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(HostTags.MANAGED, "true");
    tags.put(HostTags.ROLE, ROLE);
    tags.put(HostTags.HOST_ID, host.value());
    tags.put(HostTags.OWNER, user.owner());
    tags.put(CLAIMED_AT, now.toString());
    return groups.create(vpcId, name(user, slot),
        "Studio Control Plane: host slot " + slot + " of " + user.userProfileName() + " (no rules)", tags).isPresent();
  }

  @Override
  public List<Slot> holders(StudioUser user, String vpcId) {
    String prefix = name(user, 0);
    prefix = prefix.substring(0, prefix.length() - 1);
    List<Slot> holders = new ArrayList<>();
    for (SecurityGroups.Group group : slotGroups(new AwsQueryClient.Parameters().filter("vpc-id", vpcId)
        .filter("tag:" + HostTags.OWNER, user.owner()))) {
      String number = group.groupName().startsWith(prefix) ? group.groupName().substring(prefix.length()) : "";
      String holder = group.tags().get(HostTags.HOST_ID);
      if (number.matches("[1-9][0-9]{0,3}") && HostId.isValid(holder)) {
        holders.add(new Slot(Integer.parseInt(number), new HostId(holder), claimedAt(group)));
      }
    }
    return holders;
  }

  @Override
  public void release(HostId host) {
    for (SecurityGroups.Group group : slotGroups(new AwsQueryClient.Parameters()
        .filter("tag:" + HostTags.HOST_ID, host.value()))) {
      groups.delete(group.groupId());
    }
  }

  private List<SecurityGroups.Group> slotGroups(AwsQueryClient.Parameters filters) {
    return groups.describe(filters.filter("tag:" + HostTags.ROLE, ROLE), "of host slots");
  }

  private static Instant claimedAt(SecurityGroups.Group group) {
    try {
      return Instant.parse(group.tags().get(CLAIMED_AT));
    } catch (RuntimeException e) {
      return Instant.EPOCH;  // no readable time: old enough to be checked
    }
  }
}

package io.studiocp.hosts.aws;

import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostSlots;
import io.studiocp.hosts.HostTags;
import io.studiocp.platform.AwsFailures;
import io.studiocp.studio.StudioUser;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

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

  private final Ec2Client ec2;
  private final SecurityGroups groups;

  public Ec2HostSlots(Ec2Client ec2) {
    this.ec2 = ec2;
    this.groups = new SecurityGroups(ec2);
  }

  static String name(StudioUser user, int slot) {
    return "studiocp-slot-" + user.domainId() + "-" + user.userProfileName() + "-" + slot;
  }

  @Override
  public OptionalInt claim(StudioUser user, HostId host, String vpcId, int limit, Instant now) {
    for (Slot held : holders(user, vpcId)) {
      if (held.host().equals(host)) {
        return OptionalInt.of(held.number());
      }
    }
    for (int slot = 1; slot <= limit; slot++) {
      if (create(user, host, vpcId, slot, now)) {
        return OptionalInt.of(slot);
      }
    }
    return OptionalInt.empty();
  }

  private boolean create(StudioUser user, HostId host, String vpcId, int slot, Instant now) {
    String name = name(user, slot);
    try {
      ec2.createSecurityGroup(r -> r.vpcId(vpcId).groupName(name)
          .description("Studio Control Plane: host slot " + slot + " of " + user.userProfileName() + " (no rules)")
          .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP).tags(
              tag(HostTags.MANAGED, "true"), tag(HostTags.ROLE, ROLE), tag(HostTags.HOST_ID, host.value()),
              tag(HostTags.OWNER, user.owner()), tag(CLAIMED_AT, now.toString())).build()));
      return true;
    } catch (AwsServiceException e) {
      if ("InvalidGroup.Duplicate".equals(AwsFailures.code(e))) {
        return false;
      }
      throw AwsFailures.classify("CreateSecurityGroup " + name, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("CreateSecurityGroup " + name, e);
    }
  }

  @Override
  public List<Slot> holders(StudioUser user, String vpcId) {
    String prefix = name(user, 0);
    prefix = prefix.substring(0, prefix.length() - 1);
    List<Slot> holders = new ArrayList<>();
    for (SecurityGroup group : slotGroups(List.of(Filter.builder().name("vpc-id").values(vpcId).build(),
        Filter.builder().name("tag:" + HostTags.OWNER).values(user.owner()).build()))) {
      String number = group.groupName().startsWith(prefix) ? group.groupName().substring(prefix.length()) : "";
      String holder = tagOf(group, HostTags.HOST_ID);
      if (number.matches("[1-9][0-9]{0,3}") && HostId.isValid(holder)) {
        holders.add(new Slot(Integer.parseInt(number), new HostId(holder), claimedAt(group)));
      }
    }
    return holders;
  }

  @Override
  public void release(HostId host) {
    for (SecurityGroup group : slotGroups(List.of(Filter.builder().name("tag:" + HostTags.HOST_ID)
        .values(host.value()).build()))) {
      groups.delete(group.groupId());
    }
  }

  private List<SecurityGroup> slotGroups(List<Filter> filters) {
    List<Filter> all = new ArrayList<>(filters);
    all.add(Filter.builder().name("tag:" + HostTags.ROLE).values(ROLE).build());
    try {
      return ec2.describeSecurityGroupsPaginator(r -> r.filters(all)).securityGroups().stream().toList();
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeSecurityGroups", e);
    }
  }

  private static Instant claimedAt(SecurityGroup group) {
    try {
      return Instant.parse(tagOf(group, CLAIMED_AT));
    } catch (RuntimeException e) {
      return Instant.EPOCH;  // no readable time: old enough to be checked
    }
  }

  private static String tagOf(SecurityGroup group, String key) {
    return group.tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }
}

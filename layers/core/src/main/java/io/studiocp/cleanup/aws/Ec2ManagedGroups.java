package io.studiocp.cleanup.aws;

import io.studiocp.cleanup.CleanupPlanner.ManagedGroup;
import io.studiocp.cleanup.ManagedGroups;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.aws.SecurityGroups;
import io.studiocp.platform.AwsFailures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * The control plane's security groups (tagged {@code studiocp:managed}) and which of them a
 * network interface uses: two paged calls, whatever the number of groups.
 */
public final class Ec2ManagedGroups implements ManagedGroups {

  private static final int FILTER_VALUES = 200;

  private final Ec2Client ec2;
  private final SecurityGroups groups;

  public Ec2ManagedGroups(Ec2Client ec2) {
    this.ec2 = ec2;
    this.groups = new SecurityGroups(ec2);
  }

  @Override
  public List<ManagedGroup> all() {
    List<SecurityGroup> groups = new ArrayList<>();
    try {
      ec2.describeSecurityGroupsPaginator(r -> r.filters(Filter.builder().name("tag:" + HostTags.MANAGED)
          .values("true").build())).securityGroups().forEach(groups::add);
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeSecurityGroups", e);
    }
    Set<String> used = new HashSet<>();
    List<String> ids = groups.stream().map(SecurityGroup::groupId).toList();
    for (int from = 0; from < ids.size(); from += FILTER_VALUES) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + FILTER_VALUES));
      try {
        ec2.describeNetworkInterfacesPaginator(r -> r.filters(Filter.builder().name("group-id").values(chunk).build()))
            .networkInterfaces().forEach(n -> n.groups().forEach(g -> used.add(g.groupId())));
      } catch (SdkException e) {
        throw AwsFailures.classify("DescribeNetworkInterfaces", e);
      }
    }
    return groups.stream().map(g -> {
      String role = tag(g, HostTags.ROLE).orElse("unknown");
      Optional<HostId> host = tag(g, HostTags.HOST_ID).filter(HostId::isValid).map(HostId::new);
      return new ManagedGroup(g.groupId(), role, host, used.contains(g.groupId()));
    }).toList();
  }

  @Override
  public boolean delete(String groupId) {
    return groups.delete(groupId);
  }

  private static Optional<String> tag(SecurityGroup group, String key) {
    return group.tags().stream().filter(t -> t.key().equals(key)).map(t -> t.value()).findFirst();
  }
}

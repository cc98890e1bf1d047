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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.efs.model.FileSystemDescription;
import software.amazon.awssdk.services.efs.model.MountTargetDescription;

/**
 * The control plane's security groups (tagged {@code studiocp:managed}) and which of them a
 * network interface uses: one paged call for the groups and one per VPC they are in, whatever
 * the number of groups.
 */
public final class Ec2ManagedGroups implements ManagedGroups {

  private final Ec2Client ec2;
  private final Supplier<EfsClient> efsClient;
  private EfsClient efs;

  public Ec2ManagedGroups(Ec2Client ec2, EfsClient efs) {
    this(ec2, () -> efs);
  }

  /**
   * @param efs builds the EFS client when a group first needs detaching from a mount target (most
   *     runs detach nothing, so a cold start does not pay for the client)
   */
  public Ec2ManagedGroups(Ec2Client ec2, Supplier<EfsClient> efs) {
    this.ec2 = ec2;
    this.efsClient = efs;
  }

  private synchronized EfsClient efs() {
    if (efs == null) {
      efs = efsClient.get();
    }
    return efs;
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
    // Which groups an interface uses: the interfaces of the groups' VPCs, one paged sweep per VPC
    // (a handful), read whole. (A group-id filter with many values would do in AWS, where values
    // are alternatives; moto takes them as all required, so it would find nothing.)
    Set<String> used = new HashSet<>();
    for (String vpcId : groups.stream().map(SecurityGroup::vpcId).filter(Objects::nonNull).distinct().toList()) {
      try {
        ec2.describeNetworkInterfacesPaginator(r -> r.filters(Filter.builder().name("vpc-id").values(vpcId).build()))
            .networkInterfaces().forEach(n -> n.groups().forEach(g -> used.add(g.groupId())));
      } catch (SdkException e) {
        throw AwsFailures.classify("DescribeNetworkInterfaces", e);
      }
    }
    return groups.stream().map(g -> {
      String role = tag(g, HostTags.ROLE).orElse("unknown");
      Optional<HostId> host = tag(g, HostTags.HOST_ID).filter(HostId::isValid).map(HostId::new);
      return new ManagedGroup(g.groupId(), role, host, used.contains(g.groupId()), tag(g, HostTags.DOMAIN));
    }).toList();
  }

  /** Deletes the group; false while something still uses it (DependencyViolation). */
  @Override
  public boolean delete(String groupId) {
    try {
      ec2.deleteSecurityGroup(r -> r.groupId(groupId));
      return true;
    } catch (AwsServiceException e) {
      return SecurityGroups.deleteRefused(groupId, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("DeleteSecurityGroup " + groupId, e);
    }
  }

  /**
   * The mount targets are found through the network interfaces that carry the group: EFS lists
   * mount targets by file system only, so the file systems are walked (pages of 100) and their
   * mount targets matched by interface; this runs only when a domain's last host is gone.
   */
  @Override
  public int detachFromMountTargets(String groupId) {
    Set<String> interfaces = new HashSet<>();
    try {
      ec2.describeNetworkInterfacesPaginator(r -> r.filters(Filter.builder().name("group-id").values(groupId).build()))
          .networkInterfaces().forEach(n -> interfaces.add(n.networkInterfaceId()));
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeNetworkInterfaces", e);
    }
    if (interfaces.isEmpty()) {
      return 0;
    }
    int detached = 0;
    try {
      for (FileSystemDescription fileSystem : efs().describeFileSystemsPaginator(r -> { }).fileSystems()) {
        for (MountTargetDescription target : efs().describeMountTargets(r -> r.fileSystemId(fileSystem.fileSystemId()))
            .mountTargets()) {
          if (!interfaces.contains(target.networkInterfaceId())) {
            continue;
          }
          List<String> attached = new ArrayList<>(efs().describeMountTargetSecurityGroups(
              r -> r.mountTargetId(target.mountTargetId())).securityGroups());
          if (attached.remove(groupId) && !attached.isEmpty()) {
            efs().modifyMountTargetSecurityGroups(r -> r.mountTargetId(target.mountTargetId()).securityGroups(attached));
            detached++;
          }
        }
      }
    } catch (SdkException e) {
      throw AwsFailures.classify("ModifyMountTargetSecurityGroups (taking " + groupId + " off)", e);
    }
    return detached;
  }

  private static Optional<String> tag(SecurityGroup group, String key) {
    return group.tags().stream().filter(t -> t.key().equals(key)).map(t -> t.value()).findFirst();
  }
}

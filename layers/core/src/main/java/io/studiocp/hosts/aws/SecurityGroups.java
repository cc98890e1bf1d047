package io.studiocp.hosts.aws;

import io.studiocp.platform.AwsFailures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * Security groups found by name and completed rule by rule, so that running twice creates nothing
 * new and never duplicates a rule (even when two runs race: EC2's duplicate errors are taken as
 * "already there").
 */
public final class SecurityGroups {

  private final Ec2Client ec2;

  public SecurityGroups(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  Optional<SecurityGroup> find(String vpcId, String name) {
    try {
      return ec2.describeSecurityGroups(r -> r.filters(
              Filter.builder().name("vpc-id").values(vpcId).build(),
              Filter.builder().name("group-name").values(name).build()))
          .securityGroups().stream().findFirst();
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeSecurityGroups " + name, e);
    }
  }

  Optional<SecurityGroup> findByName(String name) {
    try {
      return ec2.describeSecurityGroups(r -> r.filters(
              Filter.builder().name("group-name").values(name).build()))
          .securityGroups().stream().findFirst();
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeSecurityGroups " + name, e);
    }
  }

  /** The group's id, creating the group when it does not exist. */
  String ensure(String vpcId, String name, String description, Map<String, String> tags) {
    Optional<SecurityGroup> existing = find(vpcId, name);
    if (existing.isPresent()) {
      return existing.get().groupId();
    }
    try {
      return ec2.createSecurityGroup(r -> r.vpcId(vpcId).groupName(name).description(description)
          .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP)
              .tags(tags.entrySet().stream()
                  .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())
              .build()))
          .groupId();
    } catch (AwsServiceException e) {
      if ("InvalidGroup.Duplicate".equals(AwsFailures.code(e))) {
        return find(vpcId, name).orElseThrow(() -> e).groupId();
      }
      throw AwsFailures.classify("CreateSecurityGroup " + name, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("CreateSecurityGroup " + name, e);
    }
  }

  /** Admits TCP on each port from each source group; adds only the rules that are missing. */
  void allowTcpFrom(String groupId, List<Integer> ports, List<String> sourceGroupIds, String why) {
    SecurityGroup group;
    try {
      group = ec2.describeSecurityGroups(r -> r.groupIds(groupId)).securityGroups().getFirst();
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeSecurityGroups " + groupId, e);
    }
    Set<String> present = new HashSet<>();
    for (IpPermission permission : group.ipPermissions()) {
      if (!"tcp".equals(permission.ipProtocol()) || permission.fromPort() == null) {
        continue;
      }
      for (int port = permission.fromPort(); port <= permission.toPort(); port++) {
        for (UserIdGroupPair pair : permission.userIdGroupPairs()) {
          present.add(port + "/" + pair.groupId());
        }
      }
    }
    List<IpPermission> missing = new ArrayList<>();
    for (int port : ports) {
      List<UserIdGroupPair> sources = sourceGroupIds.stream()
          .filter(source -> !present.contains(port + "/" + source))
          .map(source -> UserIdGroupPair.builder().groupId(source).description(why).build())
          .toList();
      if (!sources.isEmpty()) {
        missing.add(IpPermission.builder().ipProtocol("tcp").fromPort(port).toPort(port)
            .userIdGroupPairs(sources).build());
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    try {
      ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(missing));
    } catch (AwsServiceException e) {
      if (!"InvalidPermission.Duplicate".equals(AwsFailures.code(e))) {
        throw AwsFailures.classify("AuthorizeSecurityGroupIngress " + groupId, e);
      }
    } catch (SdkException e) {
      throw AwsFailures.classify("AuthorizeSecurityGroupIngress " + groupId, e);
    }
  }

  /** Deletes a group; false while something still uses it. */
  /** Deletes the group; false while something still uses it (DependencyViolation). */
  public boolean delete(String groupId) {
    try {
      ec2.deleteSecurityGroup(r -> r.groupId(groupId));
      return true;
    } catch (AwsServiceException e) {
      String code = AwsFailures.code(e);
      if ("InvalidGroup.NotFound".equals(code)) {
        return true;
      }
      if ("DependencyViolation".equals(code)) {
        return false;
      }
      throw AwsFailures.classify("DeleteSecurityGroup " + groupId, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("DeleteSecurityGroup " + groupId, e);
    }
  }
}

package io.studiocp.hosts.aws;

import io.studiocp.hosts.aws.Ec2Query.Call;
import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.platform.XmlElement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Security groups found by name and completed rule by rule, so that running twice creates nothing
 * new and never duplicates a rule (even when two runs race: EC2's duplicate errors are taken as
 * "already there"). Over the lean EC2 client ({@link Ec2Query}).
 */
public final class SecurityGroups {

  /**
   * A group as these adapters read it.
   *
   * @param tcpRules the TCP rules from other groups, as {@code port/sourceGroupId}, one per port
   */
  record Group(String groupId, String groupName, String vpcId, Map<String, String> tags, Set<String> tcpRules) {

    static Group of(XmlElement item) {
      Set<String> rules = new HashSet<>();
      for (XmlElement permission : item.items("ipPermissions")) {
        String from = permission.text("fromPort");
        String to = permission.text("toPort");
        if (!"tcp".equals(permission.text("ipProtocol")) || from == null || to == null) {
          continue;
        }
        for (int port = Integer.parseInt(from); port <= Integer.parseInt(to); port++) {
          for (XmlElement pair : permission.items("groups")) {
            rules.add(port + "/" + pair.text("groupId"));
          }
        }
      }
      return new Group(item.text("groupId"), item.text("groupName"), item.text("vpcId"), Ec2Query.tags(item), rules);
    }
  }

  private final AwsQueryClient ec2;

  public SecurityGroups(AwsQueryClient ec2) {
    this.ec2 = ec2;
  }

  /** The same, every call a priming call (never sent). */
  SecurityGroups priming() {
    return new SecurityGroups(ec2.priming());
  }

  /** Every group the filters find, page by page. */
  List<Group> describe(AwsQueryClient.Parameters filters, String what) {
    try {
      return Ec2Query.all(ec2, Call.DescribeSecurityGroups, filters, "securityGroupInfo").stream()
          .map(Group::of).toList();
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeSecurityGroups " + what, e);
    }
  }

  Optional<Group> find(String vpcId, String name) {
    return describe(new AwsQueryClient.Parameters().filter("vpc-id", vpcId).filter("group-name", name), name)
        .stream().findFirst();
  }

  Optional<Group> findByName(String name) {
    return describe(new AwsQueryClient.Parameters().filter("group-name", name), name).stream().findFirst();
  }

  /**
   * Creates a group with its tags.
   *
   * @return its id, or empty when the VPC already has a group of that name ({@code InvalidGroup.Duplicate})
   */
  Optional<String> create(String vpcId, String name, String description, Map<String, String> tags) {
    try {
      XmlElement created = ec2.call(Call.CreateSecurityGroup, Ec2Query.tagSpecification(new AwsQueryClient.Parameters()
          .add("GroupName", name).add("GroupDescription", description).add("VpcId", vpcId), "security-group", tags));
      return Optional.ofNullable(created.text("groupId"));
    } catch (AwsServiceException e) {
      if ("InvalidGroup.Duplicate".equals(AwsFailures.code(e))) {
        return Optional.empty();
      }
      throw AwsFailures.classify("CreateSecurityGroup " + name, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("CreateSecurityGroup " + name, e);
    }
  }

  /** The group's id, creating the group when it does not exist. */
  String ensure(String vpcId, String name, String description, Map<String, String> tags) {
    return find(vpcId, name).map(Group::groupId).orElseGet(() -> created(vpcId, name, description, tags));
  }

  /**
   * {@link #ensure} then {@link #allowTcpFrom}, with one reading fewer when the group exists (as it
   * does but on a domain's first host): its rules are taken from the reading that found it.
   *
   * @return the group's id
   */
  String ensureAdmitting(String vpcId, String name, String description, Map<String, String> tags,
      List<Integer> ports, List<String> sourceGroupIds, String why) {
    Optional<Group> existing = find(vpcId, name);
    if (existing.isPresent()) {
      admit(existing.get(), ports, sourceGroupIds, why);
      return existing.get().groupId();
    }
    String id = created(vpcId, name, description, tags);
    allowTcpFrom(id, ports, sourceGroupIds, why);
    return id;
  }

  private String created(String vpcId, String name, String description, Map<String, String> tags) {
    return create(vpcId, name, description, tags).or(() -> find(vpcId, name).map(Group::groupId))
        .orElseThrow(() -> new IllegalStateException("security group " + name + " in " + vpcId
            + " was reported to exist but cannot be found"));
  }

  /** Admits TCP on each port from each source group; adds only the rules that are missing. */
  void allowTcpFrom(String groupId, List<Integer> ports, List<String> sourceGroupIds, String why) {
    Group group = describe(new AwsQueryClient.Parameters().list("GroupId", List.of(groupId)), groupId).stream()
        .findFirst().orElseThrow(() -> new IllegalStateException("security group " + groupId + " does not exist"));
    admit(group, ports, sourceGroupIds, why);
  }

  /** Adds the rules {@link #allowTcpFrom} asks for that the group, as read, does not have. */
  private void admit(Group group, List<Integer> ports, List<String> sourceGroupIds, String why) {
    String groupId = group.groupId();
    AwsQueryClient.Parameters missing = new AwsQueryClient.Parameters().add("GroupId", groupId);
    int permissions = 0;
    for (int port : ports) {
      List<String> sources = sourceGroupIds.stream()
          .filter(source -> !group.tcpRules().contains(port + "/" + source))
          .toList();
      if (sources.isEmpty()) {
        continue;
      }
      String permission = "IpPermissions." + ++permissions;
      missing.add(permission + ".IpProtocol", "tcp").add(permission + ".FromPort", port).add(permission + ".ToPort", port);
      for (int n = 1; n <= sources.size(); n++) {
        missing.add(permission + ".Groups." + n + ".GroupId", sources.get(n - 1))
            .add(permission + ".Groups." + n + ".Description", why);
      }
    }
    if (permissions == 0) {
      return;
    }
    try {
      ec2.call(Call.AuthorizeSecurityGroupIngress, missing);
    } catch (AwsServiceException e) {
      if (!"InvalidPermission.Duplicate".equals(AwsFailures.code(e))) {
        throw AwsFailures.classify("AuthorizeSecurityGroupIngress " + groupId, e);
      }
    } catch (SdkException e) {
      throw AwsFailures.classify("AuthorizeSecurityGroupIngress " + groupId, e);
    }
  }

  /** Deletes the group; false while something still uses it (DependencyViolation). */
  public boolean delete(String groupId) {
    try {
      ec2.call(Call.DeleteSecurityGroup, new AwsQueryClient.Parameters().add("GroupId", groupId));
      return true;
    } catch (AwsServiceException e) {
      return deleteRefused(groupId, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("DeleteSecurityGroup " + groupId, e);
    }
  }

  /**
   * What EC2's refusal of a {@code DeleteSecurityGroup} means, whichever client made the call: the
   * group is gone already (true), something still uses it (false), or the call failed (thrown).
   */
  public static boolean deleteRefused(String groupId, AwsServiceException e) {
    String code = AwsFailures.code(e);
    if ("InvalidGroup.NotFound".equals(code)) {
      return true;
    }
    if ("DependencyViolation".equals(code)) {
      return false;
    }
    throw AwsFailures.classify("DeleteSecurityGroup " + groupId, e);
  }
}

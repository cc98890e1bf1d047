package io.studiocp.hosts.aws;

import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.provisioning.FileSystems;
import io.studiocp.hosts.provisioning.MountTarget;
import io.studiocp.hosts.provisioning.ProvisioningException;
import io.studiocp.platform.AwsFailures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.efs.model.DescribeMountTargetsResponse;

/** {@link FileSystems} over EFS, with the NFS security group kept in EC2. */
public final class EfsFileSystems implements FileSystems {

  /** EFS accepts at most five security groups on a mount target. */
  static final int MAX_GROUPS = 5;

  private final EfsClient efs;
  private final SecurityGroups groups;

  public EfsFileSystems(EfsClient efs, Ec2Client ec2) {
    this.efs = efs;
    this.groups = new SecurityGroups(ec2);
  }

  static String efsGroupName(String domainId) {
    return "studiocp-efs-" + domainId;
  }

  @Override
  public Map<String, MountTarget> mountTargets(String fileSystemId) {
    try {
      Map<String, MountTarget> byZone = new LinkedHashMap<>();
      String marker = null;
      do {
        String page = marker;
        DescribeMountTargetsResponse response = efs.describeMountTargets(r -> r.fileSystemId(fileSystemId).marker(page));
        response.mountTargets().stream()
            .filter(t -> t.lifeCycleStateAsString() == null || "available".equals(t.lifeCycleStateAsString()))
            .forEach(t -> byZone.putIfAbsent(t.availabilityZoneName(), new MountTarget(t.mountTargetId(),
                t.fileSystemId(), t.availabilityZoneName(), t.subnetId(), t.ipAddress())));
        marker = response.nextMarker();
      } while (marker != null);
      return byZone;
    } catch (software.amazon.awssdk.services.efs.model.FileSystemNotFoundException e) {
      throw new ProvisioningException("EFS file system " + fileSystemId + " does not exist");
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeMountTargets " + fileSystemId, e);
    }
  }

  @Override
  public void allowNfs(MountTarget target, String vpcId, String domainId, String hostGroupId) {
    String efsGroup = groups.ensure(vpcId, efsGroupName(domainId),
        "Studio Control Plane: NFS from the Docker hosts of " + domainId,
        Map.of(HostTags.MANAGED, "true", HostTags.DOMAIN, domainId, HostTags.ROLE, "efs"));
    groups.allowTcpFrom(efsGroup, List.of(2049), List.of(hostGroupId), "Docker hosts of " + domainId);
    List<String> attached;
    try {
      attached = new ArrayList<>(efs.describeMountTargetSecurityGroups(
          r -> r.mountTargetId(target.mountTargetId())).securityGroups());
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeMountTargetSecurityGroups " + target.mountTargetId(), e);
    }
    if (attached.contains(efsGroup)) {
      return;
    }
    if (attached.size() >= MAX_GROUPS) {
      throw new ProvisioningException("mount target " + target.mountTargetId() + " of "
          + target.fileSystemId() + " in " + target.availabilityZone() + " already has "
          + attached.size() + " security groups (" + String.join(", ", attached) + "), the most EFS "
          + "allows; remove one, or add an inbound rule for TCP 2049 from " + hostGroupId
          + " to one of them and attach " + efsGroup + " in its place");
    }
    attached.add(efsGroup);
    try {
      efs.modifyMountTargetSecurityGroups(r -> r.mountTargetId(target.mountTargetId()).securityGroups(attached));
    } catch (SdkException e) {
      throw AwsFailures.classify("ModifyMountTargetSecurityGroups " + target.mountTargetId(), e);
    }
  }
}

package io.studiocp.hosts.provisioning;

import java.util.Map;

/** The EFS file systems behind Studio homes. */
public interface FileSystems {

  /** The file system's mount targets by availability zone. */
  Map<String, MountTarget> mountTargets(String fileSystemId);

  /**
   * Lets hosts of {@code hostGroupId} reach the mount target over NFS: a security group of the
   * domain admitting port 2049 from the host group, attached to the mount target. Idempotent.
   *
   * @throws ProvisioningException when the mount target already has the maximum of 5 groups
   */
  void allowNfs(MountTarget target, String vpcId, String domainId, String hostGroupId);
}

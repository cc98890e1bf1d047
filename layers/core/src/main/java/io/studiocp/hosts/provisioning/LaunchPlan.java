package io.studiocp.hosts.provisioning;

import io.studiocp.hosts.HostId;
import io.studiocp.studio.StudioUser;
import java.util.List;

/**
 * Everything Launch needs, resolved by Prepare; it is the workflow's state from Prepare on.
 *
 * @param pool a warm pool host of the domain and type waits in the plan's subnet: the workflow
 *     claims it before it launches
 */
public record LaunchPlan(HostId hostId, StudioUser owner, String executionArn, String instanceType,
    String architecture, boolean gpu, String imageId, String rootDeviceName, String subnetId,
    String availabilityZone, List<String> securityGroupIds, int volumeGiB, int dockerPort,
    List<Integer> extraPorts, String expiresAt, long uid, long gid, String homePath,
    String certDirectory, List<NfsMount> mounts, String createdAt, boolean pool) {

  /** A plan with no warm pool host to claim. */
  public LaunchPlan(HostId hostId, StudioUser owner, String executionArn, String instanceType,
      String architecture, boolean gpu, String imageId, String rootDeviceName, String subnetId,
      String availabilityZone, List<String> securityGroupIds, int volumeGiB, int dockerPort,
      List<Integer> extraPorts, String expiresAt, long uid, long gid, String homePath,
      String certDirectory, List<NfsMount> mounts, String createdAt) {
    this(hostId, owner, executionArn, instanceType, architecture, gpu, imageId, rootDeviceName, subnetId,
        availabilityZone, securityGroupIds, volumeGiB, dockerPort, extraPorts, expiresAt, uid, gid, homePath,
        certDirectory, mounts, createdAt, false);
  }

  public LaunchPlan {
    securityGroupIds = List.copyOf(securityGroupIds);
    extraPorts = List.copyOf(extraPorts);
    mounts = List.copyOf(mounts);
  }
}

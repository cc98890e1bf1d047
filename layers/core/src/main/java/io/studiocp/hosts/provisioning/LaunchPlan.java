package io.studiocp.hosts.provisioning;

import io.studiocp.hosts.HostId;
import io.studiocp.studio.StudioUser;
import java.util.List;

/** Everything Launch needs, resolved by Prepare; it is the workflow's state from Prepare on. */
public record LaunchPlan(HostId hostId, StudioUser owner, String executionArn, String instanceType,
    String architecture, boolean gpu, String imageId, String rootDeviceName, String subnetId,
    String availabilityZone, List<String> securityGroupIds, int volumeGiB, int dockerPort,
    List<Integer> extraPorts, String expiresAt, long uid, long gid, String homePath,
    String certDirectory, List<NfsMount> mounts, String createdAt) {

  public LaunchPlan {
    securityGroupIds = List.copyOf(securityGroupIds);
    extraPorts = List.copyOf(extraPorts);
    mounts = List.copyOf(mounts);
  }
}

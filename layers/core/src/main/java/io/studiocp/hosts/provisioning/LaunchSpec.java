package io.studiocp.hosts.provisioning;

import java.util.List;
import java.util.Map;

/**
 * One RunInstances call: everything about the instance the control plane decides.
 *
 * @param terminateOnShutdown a shutdown from inside terminates the instance (pool hosts: a failed
 *     claim powers off and is gone)
 */
public record LaunchSpec(String imageId, String instanceType, String subnetId,
    List<String> securityGroupIds, String rootDeviceName, int volumeGiB, String userData,
    String clientToken, Map<String, String> tags, boolean terminateOnShutdown) {

  /** A host's spec: a shutdown from inside stops it (its owner starts it again). */
  public LaunchSpec(String imageId, String instanceType, String subnetId, List<String> securityGroupIds,
      String rootDeviceName, int volumeGiB, String userData, String clientToken, Map<String, String> tags) {
    this(imageId, instanceType, subnetId, securityGroupIds, rootDeviceName, volumeGiB, userData, clientToken, tags,
        false);
  }

  public LaunchSpec {
    securityGroupIds = List.copyOf(securityGroupIds);
    tags = Map.copyOf(tags);
  }
}

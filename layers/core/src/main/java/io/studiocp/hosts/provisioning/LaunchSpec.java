package io.studiocp.hosts.provisioning;

import java.util.List;
import java.util.Map;

/** One RunInstances call: everything about the instance the control plane decides. */
public record LaunchSpec(String imageId, String instanceType, String subnetId,
    List<String> securityGroupIds, String rootDeviceName, int volumeGiB, String userData,
    String clientToken, Map<String, String> tags) {

  public LaunchSpec {
    securityGroupIds = List.copyOf(securityGroupIds);
    tags = Map.copyOf(tags);
  }
}

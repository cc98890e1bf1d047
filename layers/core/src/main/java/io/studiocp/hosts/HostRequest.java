package io.studiocp.hosts;

import java.util.List;

/**
 * A validated request for a host. {@code subnetId} is null when the control plane should choose.
 */
public record HostRequest(String instanceType, String subnetId, int volumeGiB, int ttlHours,
    List<Integer> extraPorts) {

  public HostRequest {
    extraPorts = List.copyOf(extraPorts);
  }
}

package io.studiocp.hosts;

import java.util.List;
import java.util.Optional;

/**
 * A complete request for a host, within the policy ({@link HostPolicy#complete}).
 * {@code subnetId} is null when the control plane should choose.
 */
public record HostRequest(String instanceType, String subnetId, int volumeGiB, int ttlHours,
    List<Integer> extraPorts) {

  public HostRequest {
    extraPorts = List.copyOf(extraPorts);
  }

  /** What a caller asked for: every field may be left out; the policy fills in and bounds the rest. */
  public record Draft(Optional<String> instanceType, Optional<String> subnetId, Optional<Integer> volumeGiB,
      Optional<Integer> ttlHours, List<Integer> extraPorts) {

    public Draft {
      extraPorts = List.copyOf(extraPorts);
    }

    /** Just the instance type; everything else as the policy's defaults. */
    public static Draft of(String instanceType) {
      return new Draft(Optional.of(instanceType), Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }
  }
}

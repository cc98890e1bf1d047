package io.studiocp.hosts;

import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.util.List;

/**
 * What a user sees of a host. Fields that are not known yet (or not any more) are null: a host
 * still in Prepare has no instance; only a failed host has a failure reason.
 */
public record Host(HostId id, StudioUser owner, HostState state, String instanceType,
    String instanceId, String subnetId, String dockerHost, Integer dockerPort,
    List<Integer> extraPorts, String certDirectory, Instant createdAt, Instant readyAt,
    Instant expiresAt, String failureReason) {

  public Host {
    extraPorts = extraPorts == null ? List.of() : List.copyOf(extraPorts);
  }

  /** The Docker endpoint a context points at, once the host has reported where it listens. */
  public String dockerEndpoint() {
    return dockerHost == null || dockerPort == null ? null : "tcp://" + dockerHost + ":" + dockerPort;
  }

  public Host withState(HostState newState) {
    return new Host(id, owner, newState, instanceType, instanceId, subnetId, dockerHost, dockerPort,
        extraPorts, certDirectory, createdAt, readyAt, expiresAt, failureReason);
  }
}

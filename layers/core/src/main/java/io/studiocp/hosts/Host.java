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
    Instant expiresAt, String failureReason, String stopReason, Activity lastActive, Integer volumeGiB) {

  /** The last use the host itself reported: when, and what it saw (a container, a build, traffic). */
  public record Activity(Instant at, String signal) {

    /** Parses the host's tag, "{@code <ISO instant> <signal>}"; empty when it is not one. */
    public static java.util.Optional<Activity> parse(String tag) {
      if (tag == null || tag.isBlank()) {
        return java.util.Optional.empty();
      }
      String[] parts = tag.strip().split(" ", 2);
      try {
        return java.util.Optional.of(new Activity(Instant.parse(parts[0]), parts.length > 1 ? parts[1] : "activity"));
      } catch (java.time.format.DateTimeParseException e) {
        return java.util.Optional.empty();
      }
    }
  }

  public Host {
    extraPorts = extraPorts == null ? List.of() : List.copyOf(extraPorts);
  }

  /** The Docker endpoint a context points at, once the host has reported where it listens. */
  public String dockerEndpoint() {
    return dockerHost == null || dockerPort == null ? null : "tcp://" + dockerHost + ":" + dockerPort;
  }

  public Host withState(HostState newState) {
    return new Host(id, owner, newState, instanceType, instanceId, subnetId, dockerHost, dockerPort,
        extraPorts, certDirectory, createdAt, readyAt, expiresAt, failureReason, stopReason, lastActive, volumeGiB);
  }

  /** The host as stopped, with why. */
  public Host stopped(String reason) {
    return new Host(id, owner, HostState.STOPPED, instanceType, instanceId, subnetId, dockerHost, dockerPort,
        extraPorts, certDirectory, createdAt, readyAt, expiresAt, null, reason, lastActive, volumeGiB);
  }

  public Host withExpiry(Instant newExpiry) {
    return new Host(id, owner, state, instanceType, instanceId, subnetId, dockerHost, dockerPort,
        extraPorts, certDirectory, createdAt, readyAt, newExpiry, failureReason, stopReason, lastActive, volumeGiB);
  }
}

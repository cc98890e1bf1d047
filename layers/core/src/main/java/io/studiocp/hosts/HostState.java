package io.studiocp.hosts;

import java.util.Optional;

/**
 * Where a host is in its life: PROVISIONING until it first reports ready, READY while it serves,
 * STOPPED (only its volume costs), STARTING from a start until it reports ready again, FAILED
 * (with the reason), TERMINATING and TERMINATED.
 */
public enum HostState {
  PROVISIONING, READY, STOPPED, STARTING, FAILED, TERMINATING, TERMINATED;

  /** Hosts in these states count against the per-user limit (a stopped host keeps its volume). */
  public boolean isActive() {
    return this == PROVISIONING || this == READY || this == STOPPED || this == STARTING;
  }

  public boolean isFinal() {
    return this == FAILED || this == TERMINATED;
  }

  public static Optional<HostState> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}

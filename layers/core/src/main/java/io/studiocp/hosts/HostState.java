package io.studiocp.hosts;

import java.util.Optional;

/** Where a host is in its life. */
public enum HostState {
  PROVISIONING, READY, STOPPED, FAILED, TERMINATING, TERMINATED;

  /** Hosts in these states count against the per-user limit. */
  public boolean isActive() {
    return this == PROVISIONING || this == READY || this == STOPPED;
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

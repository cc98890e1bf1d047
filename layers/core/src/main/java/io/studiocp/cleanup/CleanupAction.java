package io.studiocp.cleanup;

import io.studiocp.studio.StudioUser;

/**
 * One thing the cleanup does, and why: {@code reason} is the same for every host acted on for
 * the same cause (so one tag write covers them all), {@code detail} is this host's own story (its
 * last activity, its expiry) for the owner's and the admins' mail.
 */
public record CleanupAction(Kind kind, String hostId, String resourceId, StudioUser owner, String reason,
    String detail) {

  public enum Kind {
    /** The host expires soon: its owner is told once, with the line that extends it. */
    WARN_EXPIRY("warned of expiry"),
    STOP_EXPIRED("stopped: expired"),
    TERMINATE_EXPIRED("terminated: expired"),
    STOP_IDLE("stopped: idle"),
    /** A start that never reported ready, past its workflow's own timeout. */
    STOP_STALLED_START("stopped: start never finished"),
    /** A PROVISIONING instance whose workflow no longer runs. */
    TERMINATE_ORPHAN("terminated: orphaned while provisioning"),
    /** A provisioning execution still running for a host whose instances are all gone. */
    STOP_ORPHAN_EXECUTION("execution stopped: its host is gone"),
    /** A security group of the control plane that nothing uses. */
    DELETE_SECURITY_GROUP("security group deleted: unused"),
    /**
     * The NFS group Prepare put on a domain's EFS mount targets, once no host of the domain is
     * left: taken off again (sdocker never reverted its change), then deleted as unused.
     */
    DETACH_EFS_GROUP("EFS group taken off the mount targets: no host of the domain is left");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}

package io.studiocp.cleanup;

import io.studiocp.studio.StudioUser;
import java.util.Map;

/**
 * One thing the cleanup does, and why: {@code reason} is the same for every host acted on for
 * the same cause (so one tag write covers them all), {@code detail} is this host's own story (its
 * last activity, its expiry) for the owner's and the admins' mail.
 */
public record CleanupAction(Kind kind, String hostId, String resourceId, StudioUser owner, String reason,
    String detail, Map<String, String> tags) {

  /** @param tags what a tagging action writes (an SSH node's missing tags); empty for the rest */
  public CleanupAction {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  public CleanupAction(Kind kind, String hostId, String resourceId, StudioUser owner, String reason, String detail) {
    this(kind, hostId, resourceId, owner, reason, detail, Map.of());
  }

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
    DETACH_EFS_GROUP("EFS group taken off the mount targets: no host of the domain is left", false),
    /** An SSH node (mi-…) that lacks its activation's tags, which SSM normally copies: copied here. */
    TAG_SSH_NODE("SSH target tagged as its activation", false),
    /** An SSH node whose app or space no longer runs, or whose agent has been offline past SshOfflineMinutes. */
    DEREGISTER_SSH_NODE("SSH target deregistered", false),
    /** An SSH activation past its expiry that registered nothing (or whose node is tagged already). */
    DELETE_SSH_ACTIVATION("SSH activation deleted: expired", false),
    /** The warm pool of a domain and type had fewer hosts than its size: one launched (resource: the instance). */
    LAUNCH_POOL_HOST("warm pool host launched", false),
    /** A warm pool host beyond the pool's size, outside its hours or of a pool no longer configured: terminated. */
    RETIRE_POOL_HOST("warm pool host terminated", false),
    /** A warm pool host that waited without a ticket (a claim nobody took spent it): given one, so a claim can have it. */
    TICKET_POOL_HOST("warm pool host given back its ticket", false);

    private final String label;
    private final boolean tellsOwner;

    Kind(String label) {
      this(label, true);
    }

    Kind(String label, boolean tellsOwner) {
      this.label = label;
      this.tellsOwner = tellsOwner;
    }

    /** Whether the owner gets a note for it (their hosts); SSH housekeeping goes to the admins' digest only. */
    public boolean tellsOwner() {
      return tellsOwner;
    }

    public String label() {
      return label;
    }
  }
}

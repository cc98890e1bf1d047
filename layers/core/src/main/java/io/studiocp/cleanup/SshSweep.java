package io.studiocp.cleanup;

import io.studiocp.ssh.SshActivation;
import io.studiocp.ssh.SshNode;
import io.studiocp.ssh.SshTarget;
import io.studiocp.studio.StudioUser;
import java.util.List;
import java.util.Set;

/**
 * What the cleanup reads of SSH in one run: the control plane's activations and nodes, and which
 * targets still run ({@link #key} of every running app of a profile and every space with a
 * running app). When Studio could not be read, {@code studioRead} is false and no node is
 * deregistered for its target (only for being offline).
 */
public record SshSweep(List<SshNode> nodes, List<SshActivation> activations, Set<String> running, boolean studioRead) {

  public SshSweep {
    nodes = List.copyOf(nodes);
    activations = List.copyOf(activations);
    running = Set.copyOf(running);
  }

  public static final SshSweep NONE = new SshSweep(List.of(), List.of(), Set.of(), false);

  /** How a running target is named in {@link #running}. */
  public static String key(StudioUser owner, SshTarget target) {
    return owner.owner() + "|" + target.tagValue();
  }
}

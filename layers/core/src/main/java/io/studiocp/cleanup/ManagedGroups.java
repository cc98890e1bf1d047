package io.studiocp.cleanup;

import java.util.List;

/** The control plane's own security groups, read in one sweep. */
public interface ManagedGroups {

  List<CleanupPlanner.ManagedGroup> all();

  /** Deletes the group; false when AWS says something still uses it. */
  boolean delete(String groupId);

  /**
   * Takes the group off every EFS mount target that carries it (never leaving a mount target
   * without a group); returns how many mount targets it was taken off.
   */
  int detachFromMountTargets(String groupId);
}

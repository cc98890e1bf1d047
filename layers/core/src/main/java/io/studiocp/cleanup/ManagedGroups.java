package io.studiocp.cleanup;

import java.util.List;

/** The control plane's own security groups, read in one sweep. */
public interface ManagedGroups {

  List<CleanupPlanner.ManagedGroup> all();

  /** Deletes the group; false when AWS says something still uses it. */
  boolean delete(String groupId);
}

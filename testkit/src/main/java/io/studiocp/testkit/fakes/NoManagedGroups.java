package io.studiocp.testkit.fakes;

import io.studiocp.cleanup.CleanupPlanner;
import io.studiocp.cleanup.ManagedGroups;
import java.util.List;

/** Security groups for a cleanup whose test is not about them: there are none, so nothing is detached or deleted. */
public final class NoManagedGroups implements ManagedGroups {

  @Override
  public List<CleanupPlanner.ManagedGroup> all() {
    return List.of();
  }

  @Override
  public boolean delete(String groupId) {
    return true;
  }

  @Override
  public int detachFromMountTargets(String groupId) {
    return 0;
  }
}

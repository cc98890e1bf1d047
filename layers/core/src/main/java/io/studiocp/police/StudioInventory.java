package io.studiocp.police;

import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** What runs in SageMaker Studio, read in sweeps and batches rather than per user. */
public interface StudioInventory {

  /**
   * The running apps (of profiles and spaces) that have an instance and started before
   * {@code startedBefore}, each with its tags. Younger apps cannot be long running under any rule,
   * so a sweep in order of creation stops where they begin.
   *
   * @param domainIds the domains to read; empty for every domain of the account
   */
  List<PolicedResource> runningApps(List<String> domainIds, Instant startedBefore);

  /** The tags of these users' profiles (where their email addresses may be), read in batches. */
  Map<StudioUser, Map<String, String>> profileTags(Collection<StudioUser> users);
}

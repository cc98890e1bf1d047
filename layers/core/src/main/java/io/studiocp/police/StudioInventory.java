package io.studiocp.police;

import io.studiocp.studio.StudioUser;
import java.util.List;
import java.util.Map;

/** What runs in SageMaker Studio, read in sweeps rather than per user. */
public interface StudioInventory {

  /** The running apps (of profiles and spaces) that have an instance, and the profiles' tags. */
  record Snapshot(List<PolicedResource> apps, Map<StudioUser, Map<String, String>> profileTags) {}

  /** @param domainIds the domains to read; empty for every domain of the account */
  Snapshot snapshot(List<String> domainIds);

  /** Only the user profiles' tags (where their owners' email addresses may be), in one sweep. */
  Map<StudioUser, Map<String, String>> profileTags();
}

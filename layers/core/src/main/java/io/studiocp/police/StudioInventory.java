package io.studiocp.police;

import io.studiocp.studio.StudioUser;
import java.util.List;
import java.util.Map;

/** What runs in SageMaker Studio, read in sweeps rather than per user. */
public interface StudioInventory {

  /**
   * The running apps (of profiles and spaces) that have an instance, the profiles' tags, and the
   * spaces the same sweep listed (the admin report shows them).
   */
  record Snapshot(List<PolicedResource> apps, Map<StudioUser, Map<String, String>> profileTags, List<Space> spaces) {

    public Snapshot {
      apps = List.copyOf(apps);
      spaces = List.copyOf(spaces);
    }

    public Snapshot(List<PolicedResource> apps, Map<StudioUser, Map<String, String>> profileTags) {
      this(apps, profileTags, List.of());
    }
  }

  /**
   * A space, as ListSpaces shows it.
   *
   * @param owner the owner of a private space; empty for a shared one
   * @param arn its ARN (where its tags live)
   */
  record Space(String domainId, String name, String arn, java.util.Optional<StudioUser> owner, String sharingType,
      String status, Map<String, String> tags) {

    public Space {
      tags = Map.copyOf(tags);
    }
  }

  /** @param domainIds the domains to read; empty for every domain of the account */
  Snapshot snapshot(List<String> domainIds);

  /** Only the user profiles' tags (where their owners' email addresses may be), in one sweep. */
  Map<StudioUser, Map<String, String>> profileTags();
}

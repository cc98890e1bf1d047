package io.studiocp.police;

import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** What runs in SageMaker Studio, read in sweeps and batches rather than per user. */
public interface StudioInventory {

  /**
   * The running apps (of profiles and spaces) that have an instance and started before
   * {@code startedBefore}, each with its tags (and its space's exemption or snooze). Younger apps
   * cannot be long running under any rule, so a sweep in order of creation stops where they begin.
   *
   * @param domainIds the domains to read; empty for every domain of the account
   */
  default List<PolicedResource> runningApps(List<String> domainIds, Instant startedBefore) {
    return runningApps(domainIds, startedBefore, tagged -> { });
  }

  /**
   * As {@link #runningApps(List, Instant)}, telling {@code onTagged} of the apps as soon as their
   * tags are known, batch by batch while later pages are still being read (from any thread; every
   * app is told exactly once), so that a caller can start on them before the sweep ends.
   */
  List<PolicedResource> runningApps(List<String> domainIds, Instant startedBefore,
      Consumer<List<PolicedResource>> onTagged);

  /** The tags of these users' profiles (where their email addresses may be), read in batches. */
  Map<StudioUser, Map<String, String>> profileTags(Collection<StudioUser> users);

  /**
   * Everything, for the admin report: every running app with an instance, the profiles' tags, and
   * the spaces, in a few sweeps.
   *
   * @param domainIds the domains to read; empty for every domain of the account
   */
  Snapshot snapshot(List<String> domainIds);

  /** The running apps (of profiles and spaces) that have an instance, the profiles' tags, and the spaces. */
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
  record Space(String domainId, String name, String arn, Optional<StudioUser> owner, String sharingType,
      String status, Map<String, String> tags) {

    public Space {
      tags = Map.copyOf(tags);
    }
  }
}

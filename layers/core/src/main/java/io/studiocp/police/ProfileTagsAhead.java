package io.studiocp.police;

import io.studiocp.platform.Concurrently;
import io.studiocp.studio.StudioUser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The profile tags (where the addresses are) of the owners a run will tell, read while the sweep
 * still reads later pages: a call as soon as a hundred owners are known, and at the end one call
 * for the rest and for anyone not offered before. Each owner is read once, in as few calls as
 * reading them all at the end.
 */
final class ProfileTagsAhead {

  /** GetResources takes 100 ARNs: a call's worth of owners. */
  static final int OWNERS_PER_READ = 100;

  private final StudioInventory studio;
  private final Set<StudioUser> asked = new HashSet<>();
  private final List<StudioUser> pending = new ArrayList<>();
  private final List<CompletableFuture<Map<StudioUser, Map<String, String>>>> started = new ArrayList<>();

  ProfileTagsAhead(StudioInventory studio) {
    this.studio = studio;
  }

  /** Owners the run will (most likely) tell: their tags are read a hundred at a time from now. */
  synchronized void offer(Collection<StudioUser> owners) {
    for (StudioUser owner : owners) {
      if (asked.add(owner)) {
        pending.add(owner);
        if (pending.size() == OWNERS_PER_READ) {
          start();
        }
      }
    }
  }

  /** The tags of these owners' profiles (those that have any): what was read ahead, and the rest now. */
  Map<StudioUser, Map<String, String>> tagsOf(Collection<StudioUser> owners) {
    List<CompletableFuture<Map<StudioUser, Map<String, String>>>> all;
    synchronized (this) {
      owners.stream().filter(asked::add).forEach(pending::add);
      if (!pending.isEmpty()) {
        start();
      }
      all = List.copyOf(started);
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    Map<StudioUser, Map<String, String>> read = new HashMap<>();
    all.forEach(f -> read.putAll(Concurrently.join(f)));
    Map<StudioUser, Map<String, String>> tags = new HashMap<>();
    owners.stream().filter(read::containsKey).forEach(o -> tags.put(o, read.get(o)));
    return tags;
  }

  private void start() {
    List<StudioUser> batch = List.copyOf(pending);
    pending.clear();
    started.add(Concurrently.start(() -> studio.profileTags(batch)));
  }
}

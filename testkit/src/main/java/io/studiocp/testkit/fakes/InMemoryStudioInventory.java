package io.studiocp.testkit.fakes;

import io.studiocp.police.PolicedResource;
import io.studiocp.police.StudioInventory;
import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What runs in Studio, in memory: the apps a sweep would find and the profiles' tags. A sweep tells
 * of its apps in batches, as a paged one does; profile tag reads are recorded (they may come from
 * several threads at once).
 */
public final class InMemoryStudioInventory implements StudioInventory {

  private final List<PolicedResource> apps = new ArrayList<>();
  private final Map<StudioUser, Map<String, String>> profileTags = new LinkedHashMap<>();
  private final List<List<StudioUser>> profileReads = new ArrayList<>();
  private int taggedBatch = Integer.MAX_VALUE;

  /** A sweep tells of the apps it found this many at a time (as pages are read), not all at once. */
  public InMemoryStudioInventory taggedInBatchesOf(int size) {
    this.taggedBatch = size;
    return this;
  }

  /** The users of each {@link #profileTags(Collection)} call, in the order of the calls. */
  public synchronized List<List<StudioUser>> profileReads() {
    return List.copyOf(profileReads);
  }

  public synchronized InMemoryStudioInventory app(PolicedResource app) {
    apps.add(app);
    return this;
  }

  public synchronized InMemoryStudioInventory profileTags(StudioUser user, Map<String, String> tags) {
    profileTags.put(user, Map.copyOf(tags));
    return this;
  }

  @Override
  public List<PolicedResource> runningApps(List<String> domainIds, Instant startedBefore,
      Consumer<List<PolicedResource>> onTagged) {
    List<PolicedResource> running = apps.stream().filter(a -> domainIds.isEmpty() || domainIds.contains(a.domainId()))
        .filter(a -> a.startedAt() == null || a.startedAt().isBefore(startedBefore))
        .toList();
    for (int from = 0; from < running.size(); from += taggedBatch) {
      onTagged.accept(running.subList(from, Math.min(running.size(), from + taggedBatch)));
    }
    return running;
  }

  @Override
  public synchronized Map<StudioUser, Map<String, String>> profileTags(Collection<StudioUser> users) {
    profileReads.add(List.copyOf(users));
    Map<StudioUser, Map<String, String>> found = new LinkedHashMap<>();
    users.stream().filter(profileTags::containsKey).forEach(u -> found.put(u, profileTags.get(u)));
    return found;
  }

  @Override
  public Snapshot snapshot(List<String> domainIds) {
    return new Snapshot(apps.stream().filter(a -> domainIds.isEmpty() || domainIds.contains(a.domainId())).toList(),
        Map.copyOf(profileTags));
  }
}

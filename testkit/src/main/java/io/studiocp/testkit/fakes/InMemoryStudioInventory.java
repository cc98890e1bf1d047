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

/** What runs in Studio, in memory: the apps a sweep would find and the profiles' tags. */
public final class InMemoryStudioInventory implements StudioInventory {

  private final List<PolicedResource> apps = new ArrayList<>();
  private final Map<StudioUser, Map<String, String>> profileTags = new LinkedHashMap<>();

  public InMemoryStudioInventory app(PolicedResource app) {
    apps.add(app);
    return this;
  }

  public InMemoryStudioInventory profileTags(StudioUser user, Map<String, String> tags) {
    profileTags.put(user, Map.copyOf(tags));
    return this;
  }

  @Override
  public List<PolicedResource> runningApps(List<String> domainIds, Instant startedBefore) {
    return apps.stream().filter(a -> domainIds.isEmpty() || domainIds.contains(a.domainId()))
        .filter(a -> a.startedAt() == null || a.startedAt().isBefore(startedBefore))
        .toList();
  }

  @Override
  public Map<StudioUser, Map<String, String>> profileTags(Collection<StudioUser> users) {
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

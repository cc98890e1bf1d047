package io.studiocp.testkit.fakes;

import io.studiocp.police.PoliceActions;
import io.studiocp.police.PolicedResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The police's Studio side in memory: the marks set on apps, and the apps deleted. */
public final class InMemoryPoliceActions implements PoliceActions {

  private final Map<String, Map<String, String>> marks = new HashMap<>();
  private final List<String> deleted = new ArrayList<>();

  @Override
  public void mark(List<PolicedResource> apps, Map<String, String> tags) {
    apps.forEach(app -> marks.computeIfAbsent(app.id(), id -> new HashMap<>()).putAll(tags));
  }

  @Override
  public void deleteApp(PolicedResource app) {
    deleted.add(app.id());
  }

  public Map<String, String> marksOf(String appArn) {
    return Map.copyOf(marks.getOrDefault(appArn, Map.of()));
  }

  public List<String> deleted() {
    return List.copyOf(deleted);
  }
}

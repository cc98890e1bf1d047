package io.studiocp.testkit.fakes;

import io.studiocp.police.PoliceActions;
import io.studiocp.police.PolicedResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The police's Studio side in memory: the marks set on apps (and how many apps each call marked),
 * and the apps deleted. Safe across threads: a run marks while it still sends mail.
 */
public final class InMemoryPoliceActions implements PoliceActions {

  private final Map<String, Map<String, String>> marks = new HashMap<>();
  private final List<String> deleted = new ArrayList<>();
  private final List<Integer> markCalls = new ArrayList<>();

  @Override
  public synchronized void mark(List<PolicedResource> apps, Map<String, String> tags) {
    markCalls.add(apps.size());
    apps.forEach(app -> marks.computeIfAbsent(app.id(), id -> new HashMap<>()).putAll(tags));
  }

  @Override
  public synchronized void deleteApp(PolicedResource app) {
    deleted.add(app.id());
  }

  public synchronized Map<String, String> marksOf(String appArn) {
    return Map.copyOf(marks.getOrDefault(appArn, Map.of()));
  }

  public synchronized List<String> deleted() {
    return List.copyOf(deleted);
  }

  /** How many apps each mark call was given, in the order of the calls. */
  public synchronized List<Integer> markCalls() {
    return List.copyOf(markCalls);
  }
}

package io.studiocp.police;

import java.util.List;
import java.util.Map;

/** What a police run found and did (or, in a dry run, would do). */
public record RunReport(String at, boolean dryRun, int longRunning, Map<String, Integer> actions,
    List<Item> items, List<Delivery> deliveries, List<String> failures) {

  /** One long-running resource, as the report shows it. */
  public record Item(String kind, String id, String name, String owner, String instanceType, long ageMinutes,
      String action, String stopAt, Double costSoFarUsd) {}
}

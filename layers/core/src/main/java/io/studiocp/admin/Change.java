package io.studiocp.admin;

import java.util.List;

/**
 * What a mutating admin action did (or, in a dry run, would do): the target, what it looked like
 * before, every change as one line each, and the outcome.
 */
public record Change(String action, String target, boolean dryRun, String before, List<String> changes,
    String outcome) {

  public Change {
    changes = List.copyOf(changes);
  }
}

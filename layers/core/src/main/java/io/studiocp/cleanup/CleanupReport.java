package io.studiocp.cleanup;

import io.studiocp.police.Delivery;
import java.util.List;

/** What a cleanup run found and did (or, in a dry run, would do), with the mail it sent. */
public record CleanupReport(String at, boolean dryRun, int hostsSeen, List<CleanupAction> actions,
    List<String> failures, List<Delivery> mail) {

  public CleanupReport {
    actions = List.copyOf(actions);
    failures = List.copyOf(failures);
    mail = List.copyOf(mail);
  }
}

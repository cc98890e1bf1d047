package io.studiocp.police;

import java.util.List;
import java.util.Map;

/**
 * What the police change in Studio: marks on apps and space apps, and, when enforcing, the apps
 * themselves. Hosts are reached through the host fleet instead.
 */
public interface PoliceActions {

  /** How many apps one mark call takes (the tagging API's TagResources: 20 ARNs). */
  int MARKS_PER_CALL = 20;

  /** Sets the tags on every app and space app given. */
  void mark(List<PolicedResource> apps, Map<String, String> tags);

  /** Deletes an app (the user's files stay on EFS). */
  void deleteApp(PolicedResource app);
}

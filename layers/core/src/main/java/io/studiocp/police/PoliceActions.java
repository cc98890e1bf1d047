package io.studiocp.police;

import java.util.List;
import java.util.Map;

/** What the police change: marks on resources, and, when enforcing, the resources themselves. */
public interface PoliceActions {

  /** Sets the tags on every resource given (apps, space apps and hosts alike). */
  void mark(List<PolicedResource> resources, Map<String, String> tags);

  /** Deletes an app (the user's files stay on EFS). */
  void deleteApp(PolicedResource app);

  void stopHost(PolicedResource host, PolicePolicy.HostAction action);
}

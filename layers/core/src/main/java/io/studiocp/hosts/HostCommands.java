package io.studiocp.hosts;

import java.util.List;
import java.util.Map;

/** Changes to managed instances. Every method is idempotent. */
public interface HostCommands {

  /** Sets tags on the given instances. */
  void tag(List<String> instanceIds, Map<String, String> tags);

  /** Terminates the given instances (those already gone are skipped). */
  void terminate(List<String> instanceIds);

  /** Stops the given instances; their disks and certificates stay. */
  void stop(List<String> instanceIds);
}

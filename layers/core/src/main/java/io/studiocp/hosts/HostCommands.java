package io.studiocp.hosts;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Changes to managed instances. Every method is idempotent. */
public interface HostCommands {

  /** Sets tags on the given instances. */
  void tag(List<String> instanceIds, Map<String, String> tags);

  /** Removes tags (by key) from the given instances. */
  void untag(List<String> instanceIds, Collection<String> keys);

  /** Replaces the security groups of the instance's primary network interface. */
  void replaceSecurityGroups(String instanceId, List<String> groupIds);

  /** Makes a shutdown from inside the instance stop it (what a launched host does), not terminate it. */
  void stopOnShutdown(String instanceId);

  /** Terminates the given instances (those already gone are skipped). */
  void terminate(List<String> instanceIds);

  /** Stops the given instances; their disks and certificates stay. */
  void stop(List<String> instanceIds);

  /** Starts the given stopped instances. */
  void start(List<String> instanceIds);

  /** The script the instance runs at every boot (its user data), if it has one. */
  Optional<String> bootScript(String instanceId);

  /** Replaces the instance's boot script; EC2 accepts this only while the instance is stopped. */
  void replaceBootScript(String instanceId, String script);
}

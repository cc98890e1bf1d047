package io.studiocp.sessions;

import java.time.Instant;
import java.util.Optional;

/**
 * A Studio app as SageMaker lists it: it runs for a user profile or in a space.
 *
 * @param userProfileName the profile it runs for; empty when it runs in a space
 * @param spaceName the space it runs in; empty when it runs for a profile
 * @param instanceType its instance type, such as {@code ml.t3.medium}; {@code system} or empty when it has none
 */
public record StudioApp(String domainId, Optional<String> userProfileName, Optional<String> spaceName, String appType,
    String appName, String status, Optional<String> instanceType, Instant createdAt) {

  /** Whether it is up or on its way up, so deleting it would change something. */
  public boolean running() {
    return status.equals("InService") || status.equals("Pending");
  }

  /**
   * Whether it is a profile's "default" JupyterServer, which holds a Studio Classic session. A
   * space's apps are all named "default" too; which of them holds a session only the caller can say
   * (the space it runs in).
   */
  public boolean isDefault() {
    return userProfileName.isPresent() && appName.equals("default") && appType.equals("JupyterServer");
  }

  /** Whether it runs on an instance that costs by the hour (not the free "system" one). */
  public boolean hasInstance() {
    return instanceType.filter(t -> !t.isBlank() && !t.equals("system")).isPresent();
  }

  /** "profile alice" or "space team-space", for messages. */
  public String where() {
    return spaceName.map(s -> "space " + s).orElseGet(() -> "profile " + userProfileName.orElse("?"));
  }
}

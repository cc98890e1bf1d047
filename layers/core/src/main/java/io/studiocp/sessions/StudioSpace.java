package io.studiocp.sessions;

import java.time.Instant;
import java.util.Optional;

/**
 * A Studio space as SageMaker lists it.
 *
 * @param owner the user profile that owns it; empty for a space made before ownership existed
 * @param appType the app the space runs (JupyterLab, CodeEditor), when its settings say
 * @param remoteAccess whether its settings turn SageMaker's own remote access on (RemoteAccess ENABLED)
 */
public record StudioSpace(String domainId, String name, String status, boolean shared, Optional<String> owner,
    Optional<String> appType, Instant createdAt, boolean remoteAccess) {

  public StudioSpace(String domainId, String name, String status, boolean shared, Optional<String> owner,
      Optional<String> appType, Instant createdAt) {
    this(domainId, name, status, shared, owner, appType, createdAt, false);
  }

  public boolean ownedBy(String profileName) {
    return owner.map(profileName::equals).orElse(false);
  }

  /** Whether this user may open it: shared spaces are open to the domain, private ones to their owner. */
  public boolean openTo(String profileName) {
    return shared || ownedBy(profileName);
  }
}

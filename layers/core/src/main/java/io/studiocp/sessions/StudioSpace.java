package io.studiocp.sessions;

import java.time.Instant;
import java.util.Optional;

/**
 * A Studio space as SageMaker lists it.
 *
 * @param owner the user profile that owns it; empty for a space made before ownership existed
 * @param appType the app the space runs (JupyterLab, CodeEditor), when its settings say
 * @param remoteAccess whether its settings turn SageMaker's own remote access on (RemoteAccess ENABLED)
 * @param arn its ARN, when SageMaker described it (DescribeSpace answers it; ListSpaces does not)
 */
public record StudioSpace(String domainId, String name, String status, boolean shared, Optional<String> owner,
    Optional<String> appType, Instant createdAt, boolean remoteAccess, Optional<String> arn) {

  public StudioSpace(String domainId, String name, String status, boolean shared, Optional<String> owner,
      Optional<String> appType, Instant createdAt, boolean remoteAccess) {
    this(domainId, name, status, shared, owner, appType, createdAt, remoteAccess, Optional.empty());
  }

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

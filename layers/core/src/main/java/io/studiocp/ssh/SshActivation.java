package io.studiocp.ssh;

import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A hybrid activation of the control plane, as SSM describes it (its code is shown only once, at
 * creation: {@link SshRegistry.Created}).
 */
public record SshActivation(String activationId, Instant createdAt, Instant expiresAt, int registrationLimit,
    int registrations, Map<String, String> tags) {

  public SshActivation {
    tags = Map.copyOf(tags);
  }

  public Optional<StudioUser> owner() {
    return SshNode.ownerOf(tags);
  }

  public Optional<SshTarget> target() {
    return SshTarget.parse(tags.get(SshTags.TARGET));
  }

  public boolean expired(Instant now) {
    return !now.isBefore(expiresAt);
  }

  public boolean used() {
    return registrations > 0;
  }
}

package io.studiocp.ssh;

import io.studiocp.studio.StudioUser;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A managed node ({@code mi-…}) registered with one of the control plane's activations, with its
 * SSM tags.
 *
 * @param pingStatus SSM's: {@code Online}, {@code ConnectionLost} or {@code Inactive}
 * @param lastPing when its agent was last heard of
 */
public record SshNode(String instanceId, String activationId, String name, String computerName, String ipAddress,
    String pingStatus, Instant lastPing, Instant registeredAt, Map<String, String> tags) {

  public SshNode {
    tags = Map.copyOf(tags);
  }

  public boolean online() {
    return "Online".equals(pingStatus);
  }

  public Optional<StudioUser> owner() {
    return ownerOf(tags);
  }

  public Optional<SshTarget> target() {
    return SshTarget.parse(tags.get(SshTags.TARGET));
  }

  public Optional<String> publicKey() {
    return Optional.ofNullable(tags.get(SshTags.PUBLIC_KEY));
  }

  /** How long it has been registered, which is what the advanced tier charges for. */
  public Duration registeredFor(Instant now) {
    Duration d = Duration.between(registeredAt, now);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** How long its agent has been silent: zero while it is online. */
  public Duration offlineFor(Instant now) {
    if (online() || lastPing == null) {
      return Duration.ZERO;
    }
    Duration d = Duration.between(lastPing, now);
    return d.isNegative() ? Duration.ZERO : d;
  }

  public SshNode withTags(Map<String, String> more) {
    var all = new java.util.LinkedHashMap<>(tags);
    all.putAll(more);
    return new SshNode(instanceId, activationId, name, computerName, ipAddress, pingStatus, lastPing, registeredAt, all);
  }

  static Optional<StudioUser> ownerOf(Map<String, String> tags) {
    String owner = tags.get(SshTags.OWNER);
    if (owner == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(StudioUser.parseOwner(owner));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}

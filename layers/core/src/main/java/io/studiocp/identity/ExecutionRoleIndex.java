package io.studiocp.identity;

import io.studiocp.studio.StudioDirectory;
import io.studiocp.studio.StudioDomain;
import io.studiocp.studio.UserProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which user profiles run with which execution role, per domain. Finding out takes a call per
 * profile, so the answer is kept for a few minutes per container.
 */
public final class ExecutionRoleIndex {

  private record Entry(Instant loadedAt, Map<String, List<String>> profilesByRoleName) {}

  private final StudioDirectory directory;
  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Entry> byDomain = new ConcurrentHashMap<>();

  public ExecutionRoleIndex(StudioDirectory directory, Clock clock, Duration ttl) {
    this.directory = directory;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** The names of the domain's profiles whose apps run with the role named {@code roleName}. */
  public List<String> profilesUsing(StudioDomain domain, String roleName) {
    Entry entry = byDomain.get(domain.domainId());
    if (entry == null || entry.loadedAt().plus(ttl).isBefore(clock.instant())) {
      entry = load(domain);
      byDomain.put(domain.domainId(), entry);
    }
    return entry.profilesByRoleName().getOrDefault(roleName, List.of());
  }

  private Entry load(StudioDomain domain) {
    Map<String, List<String>> index = new HashMap<>();
    for (UserProfile profile : directory.userProfiles(domain.domainId())) {
      profile.effectiveExecutionRole(domain)
          .flatMap(CallerPrincipal::parse)
          .ifPresent(role -> index.computeIfAbsent(role.name(), k -> new ArrayList<>())
              .add(profile.user().userProfileName()));
    }
    index.replaceAll((k, v) -> List.copyOf(v));
    return new Entry(clock.instant(), Map.copyOf(index));
  }
}

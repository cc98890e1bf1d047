package io.studiocp.cleanup;

import io.studiocp.cleanup.CleanupAction.Kind;
import io.studiocp.hosts.Host;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostState;
import io.studiocp.ssh.SshActivation;
import io.studiocp.ssh.SshNode;
import io.studiocp.ssh.SshTags;
import io.studiocp.ssh.SshTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, from one sweep of the fleet and of the running executions, what the cleanup does. Pure:
 * no AWS, the clock is the caller's.
 */
public final class CleanupPlanner {

  /**
   * The mark a warned host keeps: when it was warned. It counts for the expiry it was warned of
   * only (a warning before the current expiry's window means the host was extended since).
   */
  public static final String EXPIRY_WARNED = "studiocp:expiry-warned";

  private final CleanupSettings settings;

  public CleanupPlanner(CleanupSettings settings) {
    this.settings = settings;
  }

  /** The role tag of a host's slot ({@code io.studiocp.hosts.HostSlots}). */
  static final String SLOT_ROLE = "host-slot";

  /** A security group of the control plane and whether any network interface uses it. */
  public record ManagedGroup(String groupId, String role, Optional<HostId> hostId, boolean inUse,
      Optional<String> domainId) {

    public ManagedGroup(String groupId, String role, Optional<HostId> hostId, boolean inUse) {
      this(groupId, role, hostId, inUse, Optional.empty());
    }
  }

  /** The role tag of the NFS group Prepare puts on a domain's EFS mount targets. */
  static final String EFS_ROLE = "efs";

  /**
   * The run's actions over the hosts, the warm pool's waiting hosts ({@code pooled}: a domain whose
   * pool hosts wait keeps its NFS group on its mount targets, since a claim mounts the user's home
   * at once), the running executions and the managed groups.
   */
  public List<CleanupAction> plan(List<HostInstance> instances, List<HostInstance> pooled,
      Set<HostId> runningExecutions, List<ManagedGroup> groups, Instant now) {
    List<CleanupAction> actions = new ArrayList<>();
    for (HostInstance instance : instances) {
      if (!instance.isManaged() || instance.isGone()) {
        continue;
      }
      forHost(instance, runningExecutions, now).ifPresent(actions::add);
    }
    actions.addAll(orphanExecutions(instances, runningExecutions));
    Set<HostId> liveHosts = new HashSet<>();
    instances.stream().filter(i -> !i.isGone()).forEach(i -> i.hostId().ifPresent(liveHosts::add));
    actions.addAll(unusedGroups(groups, runningExecutions, liveHosts));
    actions.addAll(efsGroupsOfEmptyDomains(instances, pooled, runningExecutions, groups));
    return actions;
  }

  private Optional<CleanupAction> forHost(HostInstance instance, Set<HostId> runningExecutions, Instant now) {
    HostId id = instance.hostId().orElseThrow();
    HostState tagged = instance.tagState();
    boolean running = "running".equals(instance.ec2State());
    Duration orphanAfter = settings.provisioningTimeout().plus(CleanupSettings.ORPHAN_MARGIN);
    if (tagged == HostState.PROVISIONING) {
      Instant launched = Optional.ofNullable(instance.launchTime()).orElse(now);
      if (!runningExecutions.contains(id) && Duration.between(launched, now).compareTo(orphanAfter) > 0) {
        return Optional.of(action(Kind.TERMINATE_ORPHAN, instance,
            "orphaned: PROVISIONING past the provisioning timeout with no workflow running",
            "launched at " + launched + ", never reported ready"));
      }
      return Optional.empty();
    }
    if (tagged == HostState.STARTING) {
      Instant started = instance.startedAt().orElse(now);
      if (Duration.between(started, now).compareTo(orphanAfter) > 0) {
        return Optional.of(action(Kind.STOP_STALLED_START, instance,
            "stopped: its start never reported ready", "started at " + started));
      }
      return Optional.empty();
    }
    HostState state = instance.state();
    if (state != HostState.READY && state != HostState.STOPPED) {
      return Optional.empty();
    }
    Optional<Instant> expires = instance.expiresAt();
    if (expires.isPresent() && !expires.get().isAfter(now)) {
      String detail = "expired at " + expires.get();
      if (settings.expiredAction() == CleanupSettings.ExpiredAction.TERMINATE) {
        return Optional.of(action(Kind.TERMINATE_EXPIRED, instance, "terminated: its time to live ended", detail));
      }
      if (state == HostState.READY) {
        return Optional.of(action(Kind.STOP_EXPIRED, instance,
            "stopped: its time to live ended (sdocker extend-host, then start-host, brings it back)", detail));
      }
      return Optional.empty();
    }
    if (state != HostState.READY || !running) {
      return Optional.empty();
    }
    if (expires.isPresent() && !settings.expiryWarning().isZero()
        && !expires.get().isAfter(now.plus(settings.expiryWarning()))
        && !warnedFor(instance, expires.get())) {
      return Optional.of(action(Kind.WARN_EXPIRY, instance, "expires soon",
          "expires at " + expires.get() + "; to keep it: sdocker extend-host " + id + " --ttl-hours N"));
    }
    return idle(instance, now);
  }

  private boolean warnedFor(HostInstance instance, Instant expires) {
    try {
      return instance.tag(EXPIRY_WARNED).map(Instant::parse)
          .map(at -> !at.isBefore(expires.minus(settings.expiryWarning())))
          .orElse(false);
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }

  private Optional<CleanupAction> idle(HostInstance instance, Instant now) {
    if (!settings.idleStopOn()) {
      return Optional.empty();
    }
    Instant ready = instance.readyAt().orElse(Optional.ofNullable(instance.launchTime()).orElse(now));
    if (ready.plus(settings.idleGrace()).isAfter(now)) {
      return Optional.empty(); // just booted: the grace period after boot
    }
    Optional<Host.Activity> last = instance.lastActive().filter(a -> a.at().isAfter(ready));
    Instant since = last.map(Host.Activity::at).orElse(ready);
    if (Duration.between(since, now).compareTo(settings.idleStop()) < 0) {
      return Optional.empty();
    }
    String detail = last.map(a -> "last activity: " + a.signal() + " at " + a.at())
        .orElse("no activity since it became ready at " + ready);
    return Optional.of(action(Kind.STOP_IDLE, instance, "stopped: idle for " + settings.idleStop().toMinutes()
        + " minutes (IdleStopMinutes); sdocker start-host brings it back", detail));
  }

  /** Executions still running for a host whose every instance is gone. */
  private static List<CleanupAction> orphanExecutions(List<HostInstance> instances, Set<HostId> runningExecutions) {
    Map<HostId, List<HostInstance>> byHost = new HashMap<>();
    instances.stream().filter(HostInstance::isManaged)
        .forEach(i -> byHost.computeIfAbsent(i.hostId().orElseThrow(), k -> new ArrayList<>()).add(i));
    return runningExecutions.stream()
        .sorted(Comparator.comparing(HostId::value))
        .filter(id -> byHost.containsKey(id) && byHost.get(id).stream().allMatch(HostInstance::isGone))
        .map(id -> {
          HostInstance last = byHost.get(id).getFirst();
          return new CleanupAction(Kind.STOP_ORPHAN_EXECUTION, id.value(), last.instanceId(),
              last.owner().orElse(null), "its host's instances are all gone", "last instance " + last.instanceId()
                  + " is " + last.ec2State());
        })
        .toList();
  }

  /**
   * The control plane's groups that no network interface uses. A domain's host group is kept
   * while any host is being provisioned (Prepare may just have made sure of it), a host's own
   * group while its host's execution runs. A host's slot (role {@code host-slot}: no rules, on no
   * instance) is kept while its host has a live instance or a running execution.
   */
  private static List<CleanupAction> unusedGroups(List<ManagedGroup> groups, Set<HostId> runningExecutions,
      Set<HostId> liveHosts) {
    return groups.stream()
        .filter(g -> !g.inUse())
        .filter(g -> !(SLOT_ROLE.equals(g.role()) && g.hostId().map(liveHosts::contains).orElse(false)))
        .filter(g -> g.hostId().map(id -> !runningExecutions.contains(id)).orElse(runningExecutions.isEmpty()))
        .map(g -> new CleanupAction(Kind.DELETE_SECURITY_GROUP, g.hostId().map(HostId::value).orElse(null), g.groupId(),
            null, "no network interface uses it", g.groupId() + " (" + g.role() + ")"))
        .toList();
  }

  /**
   * A domain's NFS group on its mount targets, once the domain has no live host, no pool host
   * waiting (a claim mounts at once) and nothing is being provisioned (Prepare may be about to
   * rely on it): it is taken off, and a later run deletes it and the domain's host group as unused.
   */
  private static List<CleanupAction> efsGroupsOfEmptyDomains(List<HostInstance> instances, List<HostInstance> pooled,
      Set<HostId> runningExecutions, List<ManagedGroup> groups) {
    if (!runningExecutions.isEmpty()) {
      return List.of();
    }
    Set<String> domainsWithHosts = new HashSet<>();
    instances.stream().filter(i -> !i.isGone()).forEach(i -> i.domainId().ifPresent(domainsWithHosts::add));
    pooled.stream().filter(i -> !i.isGone()).forEach(i -> i.poolDomain().ifPresent(domainsWithHosts::add));
    return groups.stream()
        .filter(g -> EFS_ROLE.equals(g.role()) && g.inUse())
        .filter(g -> g.domainId().map(d -> !domainsWithHosts.contains(d)).orElse(false))
        .map(g -> new CleanupAction(Kind.DETACH_EFS_GROUP, null, g.groupId(), null,
            "no Docker host of domain " + g.domainId().orElseThrow() + " is left",
            g.groupId() + " (NFS from the domain's hosts) on the mount targets of " + g.domainId().orElseThrow()))
        .toList();
  }

  /**
   * What the cleanup does about SSH: copy an activation's tags to a node that lacks them (SSM
   * normally does it at registration), deregister a node whose app or space no longer runs or whose
   * agent has been offline longer than {@code SshOfflineMinutes}, and delete expired activations
   * that registered nothing, or whose node already carries their tags.
   */
  public List<CleanupAction> planSsh(SshSweep sweep, Instant now) {
    List<CleanupAction> actions = new ArrayList<>();
    Map<String, SshActivation> activations = new HashMap<>();
    sweep.activations().forEach(a -> activations.put(a.activationId(), a));
    Set<String> untagged = new java.util.HashSet<>();
    for (SshNode found : sweep.nodes()) {
      SshNode node = found;
      SshActivation activation = activations.get(node.activationId());
      if (node.owner().isEmpty() || node.target().isEmpty()) {
        if (activation != null && activation.owner().isPresent() && activation.target().isPresent()) {
          Map<String, String> missing = new java.util.LinkedHashMap<>();
          // All of the activation's keys, so the write carries studiocp:managed (the condition on it).
          activation.tags().forEach((k, v) -> {
            if (SshTags.ACTIVATION_KEYS.contains(k)) {
              missing.put(k, v);
            }
          });
          actions.add(new CleanupAction(Kind.TAG_SSH_NODE, null, found.instanceId(), activation.owner().get(),
              "registered without its activation's tags", "copied from " + activation.activationId() + ": "
                  + String.join(", ", missing.keySet()), missing));
          node = node.withTags(missing);
        }
        untagged.add(found.activationId());
      }
      deregistration(node, sweep, now).ifPresent(actions::add);
    }
    for (SshActivation activation : sweep.activations()) {
      if (!activation.expired(now)) {
        continue;
      }
      if (activation.used() && untagged.contains(activation.activationId())) {
        continue; // its node is tagged first; the next run deletes it
      }
      actions.add(new CleanupAction(Kind.DELETE_SSH_ACTIVATION, null, activation.activationId(),
          activation.owner().orElse(null), activation.used() ? "expired; its node is registered and tagged"
              : "expired unused", activation.target().map(t -> t + ", ").orElse("") + "expired at "
              + activation.expiresAt()));
    }
    return actions;
  }

  private Optional<CleanupAction> deregistration(SshNode node, SshSweep sweep, Instant now) {
    String where = node.target().map(SshTarget::toString).orElse("no target") + " (" + node.instanceId() + ")";
    Duration offline = node.offlineFor(now);
    if (offline.compareTo(settings.sshOffline()) > 0) {
      return Optional.of(new CleanupAction(Kind.DEREGISTER_SSH_NODE, hostOf(node), node.instanceId(),
          node.owner().orElse(null), "offline for more than " + settings.sshOffline().toMinutes()
              + " minutes (SshOfflineMinutes)", where + ", " + node.pingStatus() + " since " + node.lastPing()));
    }
    if (sweep.studioRead() && node.owner().isPresent() && node.target().isPresent()
        && node.target().get().kind() != SshTarget.Kind.HOST
        && !sweep.running().contains(SshSweep.key(node.owner().get(), node.target().get()))) {
      return Optional.of(new CleanupAction(Kind.DEREGISTER_SSH_NODE, null, node.instanceId(), node.owner().get(),
          "its app or space no longer runs", where + ", " + node.pingStatus()));
    }
    return Optional.empty();
  }

  private static String hostOf(SshNode node) {
    return node.target().filter(t -> t.kind() == SshTarget.Kind.HOST).map(SshTarget::name).orElse(null);
  }

  private static CleanupAction action(Kind kind, HostInstance instance, String reason, String detail) {
    return new CleanupAction(kind, instance.hostId().orElseThrow().value(), instance.instanceId(),
        instance.owner().orElse(null), reason, detail);
  }
}

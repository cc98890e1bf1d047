package io.studiocp.hosts;

import io.studiocp.platform.Concurrently;
import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The one front door for host rules. A host's state lives in its instance's {@code studiocp:}
 * tags (EC2 is the source of truth: docs/decisions.md); this class is the only writer of those tags
 * outside the EC2 adapter, so every rule about them is stated once, here: what a new launch
 * carries, how a host becomes ready, failed, stopped or terminating, and which marks other
 * capabilities may keep on a host. Use cases, the workflow's steps, the police and the cleanup
 * read and change hosts through it, never through {@link Hosts} or {@link HostCommands}.
 *
 * <p>Every change takes the instances as the caller read them and acts on all of them in one
 * call per kind of change, so a sweep over many hosts costs a few calls, not one per host.
 *
 * <p>The lifecycle: {@link #stop} (with the reason the owner reads), {@link #start} (a new task
 * token in the boot script, STARTING until the host calls back) and {@link #extend}; the routes
 * are the API function's, the bounds the use cases' ({@link ExtendHost}), the tags' rules here.
 */
public final class HostFleet {

  private final Hosts hosts;
  private final HostCommands commands;

  public HostFleet(Hosts hosts, HostCommands commands) {
    this.hosts = hosts;
    this.commands = commands;
  }

  // ---- reading -------------------------------------------------------------------------------

  /** Every managed instance, newest first, in any state (terminated ones while EC2 still lists them). */
  public List<HostInstance> all() {
    return managed(hosts.all());
  }

  public List<HostInstance> ownedBy(StudioUser owner) {
    return managed(hosts.ownedBy(owner));
  }

  /** The instances launched for a host, newest first (more than one only after a replaced attempt). */
  public List<HostInstance> instancesOf(HostId id) {
    return managed(hosts.instancesOf(id));
  }

  /** The host's instances that are not terminated or on their way out. */
  public List<HostInstance> liveInstancesOf(HostId id) {
    return instancesOf(id).stream().filter(i -> !i.isGone()).toList();
  }

  /** A managed instance by its id; empty for an instance the control plane does not manage. */
  public Optional<HostInstance> instance(String instanceId) {
    return hosts.instance(instanceId).filter(HostInstance::isManaged);
  }

  /**
   * The hosts that run and are ready for their owners, in the given domains (every domain when
   * {@code domainIds} is empty): what costs money while nobody looks.
   */
  public List<HostInstance> ready(Collection<String> domainIds) {
    return ready(all(), domainIds);
  }

  /**
   * One read of every instance the control plane tagged ({@link Hosts#all}): the managed hosts,
   * and the warm pool's hosts that wait for a claim (tagged managed too, but with no host id).
   */
  public record Census(List<HostInstance> hosts, List<HostInstance> pooled) {

    public Census {
      hosts = List.copyOf(hosts);
      pooled = List.copyOf(pooled);
    }

    /** As {@link HostFleet#ready}, from this read. */
    public List<HostInstance> ready(Collection<String> domainIds) {
      return HostFleet.ready(hosts, domainIds);
    }
  }

  public Census census() {
    List<HostInstance> all = hosts.all();
    return new Census(managed(all), all.stream().filter(HostFleet::waitsForClaim).toList());
  }

  private static List<HostInstance> ready(List<HostInstance> managed, Collection<String> domainIds) {
    return managed.stream()
        .filter(i -> "running".equals(i.ec2State()) && i.state() == HostState.READY)
        .filter(i -> domainIds.isEmpty() || i.domainId().map(domainIds::contains).orElse(false))
        .toList();
  }

  private static List<HostInstance> managed(List<HostInstance> instances) {
    return instances.stream().filter(HostInstance::isManaged).toList();
  }

  // ---- launching and provisioning -------------------------------------------------------------

  /** What the fleet needs to know of a host about to be launched. */
  public record NewHost(HostId id, StudioUser owner, String expiresAt, String executionArn, int dockerPort,
      String certDirectory, List<Integer> extraPorts, String launchAttempt, String createdAt, Integer volumeGiB) {

    public NewHost {
      extraPorts = List.copyOf(extraPorts);
    }

    public NewHost(HostId id, StudioUser owner, String expiresAt, String executionArn, int dockerPort,
        String certDirectory, List<Integer> extraPorts, String launchAttempt, String createdAt) {
      this(id, owner, expiresAt, executionArn, dockerPort, certDirectory, extraPorts, launchAttempt, createdAt, null);
    }

    /** A host whose creation time is its instance's launch time. */
    public NewHost(HostId id, StudioUser owner, String expiresAt, String executionArn, int dockerPort,
        String certDirectory, List<Integer> extraPorts, String launchAttempt) {
      this(id, owner, expiresAt, executionArn, dockerPort, certDirectory, extraPorts, launchAttempt, null, null);
    }
  }

  /**
   * The tags a new instance is launched with (on the instance and its volume): who owns it, where
   * it lives, that it is PROVISIONING, and the launch attempt a retried launch recognises it by.
   */
  public Map<String, String> launchTags(NewHost host) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("Name", "studiocp-" + host.owner().userProfileName() + "-" + host.id().value());
    tags.put(HostTags.MANAGED, "true");
    tags.put(HostTags.HOST_ID, host.id().value());
    tags.put(HostTags.OWNER, host.owner().owner());
    tags.put(HostTags.DOMAIN, host.owner().domainId());
    tags.put(HostTags.USER_PROFILE, host.owner().userProfileName());
    tags.put(HostTags.STATE, HostState.PROVISIONING.name());
    tags.put(HostTags.EXPIRES_AT, host.expiresAt());
    tags.put(HostTags.EXECUTION_ARN, HostTags.fit(host.executionArn()));
    tags.put(HostTags.DOCKER_PORT, Integer.toString(host.dockerPort()));
    tags.put(HostTags.CERT_DIR, HostTags.fit(host.certDirectory()));
    if (!host.extraPorts().isEmpty()) {
      tags.put(HostTags.EXTRA_PORTS, host.extraPorts().stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    tags.put(HostTags.LAUNCH_TOKEN, host.launchAttempt());
    if (host.createdAt() != null) {
      tags.put(HostTags.CREATED_AT, host.createdAt());
    }
    if (host.volumeGiB() != null) {
      tags.put(HostTags.VOLUME_GIB, Integer.toString(host.volumeGiB()));
    }
    return tags;
  }

  /** Records that the host answered: READY, with the address its certificate names, since {@code readyAt}. */
  public void markReady(HostInstance instance, String dockerHost, int dockerPort, Instant readyAt) {
    commands.tag(List.of(instance.instanceId()), readyTags(dockerHost, dockerPort, readyAt));
  }

  private static Map<String, String> readyTags(String dockerHost, int dockerPort, Instant readyAt) {
    return Map.of(
        HostTags.STATE, HostState.READY.name(),
        HostTags.DOCKER_HOST, HostTags.fit(dockerHost),
        HostTags.DOCKER_PORT, Integer.toString(dockerPort),
        HostTags.READY_AT, readyAt.toString());
  }

  /**
   * Ends instances that will never serve: marks them FAILED with the reason (what the user sees)
   * and terminates them. An instance already terminated is left as it is (see
   * {@link #recordFailure}); one already on its way out is not terminated again.
   */
  public void fail(Collection<HostInstance> instances, String reason) {
    commands.tag(ids(instances.stream().filter(i -> !"terminated".equals(i.ec2State())).toList()), Map.of(
        HostTags.STATE, HostState.FAILED.name(),
        HostTags.FAILURE_REASON, HostTags.fit(reason)));
    commands.terminate(ids(instances.stream().filter(i -> !i.isGone()).toList()));
  }

  /**
   * Records the reason on an instance that is already terminated, as far as EC2 still accepts
   * tags on it; when it does not, the workflow's own failure still tells the reason.
   */
  public void recordFailure(HostInstance terminated, String reason) {
    try {
      commands.tag(List.of(terminated.instanceId()), Map.of(
          HostTags.STATE, HostState.FAILED.name(),
          HostTags.FAILURE_REASON, HostTags.fit(reason)));
    } catch (RuntimeException e) {
      // EC2 may refuse tags on a terminated instance.
    }
  }

  // ---- the warm pool -------------------------------------------------------------------------

  /**
   * The warm pool's hosts that are pending or running and still wait for a claim. They are not
   * managed hosts: nobody owns them, so no listing, police or cleanup rule for hosts sees them.
   */
  public List<HostInstance> pooled() {
    return hosts.pooled().stream().filter(HostFleet::waitsForClaim).toList();
  }

  /** A pool host still pending or running, and not claimed yet. */
  private static boolean waitsForClaim(HostInstance instance) {
    return instance.isPooled() && !instance.isGone();
  }

  /** A pool host by its id, if it is one that still waits for a claim. */
  public Optional<HostInstance> pooledInstance(String instanceId) {
    return hosts.instance(instanceId).filter(HostFleet::waitsForClaim);
  }

  /** The tags a pool host is launched with (on the instance and its volume). */
  public Map<String, String> poolTags(String domainId, String instanceType, int volumeGiB, Instant createdAt) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("Name", "studiocp-pool-" + domainId + "-" + instanceType);
    // Managed, so that the control plane's rights reach it; no host id, so that no host rule does.
    tags.put(HostTags.MANAGED, "true");
    tags.put(HostTags.POOL, domainId);
    tags.put(HostTags.STATE, HostTags.POOLED);
    tags.put(HostTags.CREATED_AT, createdAt.toString());
    tags.put(HostTags.VOLUME_GIB, Integer.toString(volumeGiB));
    return tags;
  }

  /**
   * Makes a claimed pool host the user's: a shutdown from inside that stops it as it stops a
   * launched host (a pool host terminates), the plan's security groups, then exactly the tags a launched
   * host gets ({@link #launchTags}), then the pool's tag removed. Afterwards nothing tells it apart
   * from a launched host; it never returns to the pool.
   */
  public void adopt(HostInstance pooled, NewHost host, List<String> securityGroupIds) {
    adopt(pooled, host, securityGroupIds, Map.of());
  }

  /**
   * {@link #adopt} and {@link #markReady} at once: the launched host's tags and the ready ones in
   * one call (a claim's user waits for every call MarkReady makes).
   */
  public void adoptReady(HostInstance pooled, NewHost host, List<String> securityGroupIds, String dockerHost,
      Instant readyAt) {
    adopt(pooled, host, securityGroupIds, readyTags(dockerHost, host.dockerPort(), readyAt));
  }

  /**
   * The order is what keeps a half-done adoption safe. The two attributes (independent calls) are
   * set side by side and both done before any tag: the tags make the host the user's (its host id)
   * and, with {@code ready}, READY, and a MarkReady retried after a failure finds the host by its
   * id and only marks it ready again; so no host is ever the user's, let alone READY, with the
   * pool's security groups or a shutdown that terminates it. The pool's tag goes last: until then a
   * failed adoption leaves a pool host or the user's host, never an instance that is neither (which
   * no pool rule and no host rule would see).
   */
  private void adopt(HostInstance pooled, NewHost host, List<String> securityGroupIds, Map<String, String> ready) {
    Concurrently.run(() -> commands.stopOnShutdown(pooled.instanceId()),
        () -> commands.replaceSecurityGroups(pooled.instanceId(), securityGroupIds));
    Map<String, String> tags = new LinkedHashMap<>(launchTags(host));
    tags.putAll(ready);
    commands.tag(List.of(pooled.instanceId()), tags);
    commands.untag(List.of(pooled.instanceId()), List.of(HostTags.POOL));
  }

  /** Terminates pool hosts nobody claimed (extras, or outside the pool's hours). */
  public void retirePooled(Collection<HostInstance> pooled) {
    commands.terminate(ids(pooled));
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /**
   * Terminates instances, marking them TERMINATING first so that the host shows it at once. An
   * instance marked FAILED keeps that mark (and its reason): it failed, whoever ends it.
   */
  public void terminate(Collection<HostInstance> instances) {
    commands.tag(ids(instances.stream().filter(i -> i.tagState() != HostState.FAILED).toList()),
        Map.of(HostTags.STATE, HostState.TERMINATING.name()));
    commands.terminate(ids(instances));
  }

  /**
   * Stops instances; their volumes and certificates stay. Each is marked STOPPED at once with why
   * (what the owner and the admins read: "why was it stopped?") and when; EC2's events follow.
   */
  public void stop(Collection<HostInstance> instances, String reason, Instant at) {
    List<HostInstance> stoppable = instances.stream().filter(i -> !i.isGone()).toList();
    commands.tag(ids(stoppable), Map.of(
        HostTags.STATE, HostState.STOPPED.name(),
        HostTags.STOP_REASON, HostTags.fit(reason),
        HostTags.STOPPED_AT, at.toString()));
    commands.stop(ids(stoppable));
  }

  /**
   * Starts a stopped host already marked STARTING ({@link #markStarting}): rewrites its boot
   * script (the caller puts in the task token of the start's own execution, so the boot reports
   * with the same readiness contract as a first launch) and starts the instance. Its volume, certificates and image cache are the
   * ones it stopped with; its private DNS name is EC2's and survives the stop.
   *
   * @throws IllegalStateException when the instance has no boot script of ours to re-run
   */
  public void start(HostInstance instance, UnaryOperator<String> rewriteBootScript) {
    String script = commands.bootScript(instance.instanceId())
        .orElseThrow(() -> new IllegalStateException("instance " + instance.instanceId() + " has no boot script of "
            + "the control plane; it cannot be started as a host"));
    commands.replaceBootScript(instance.instanceId(), rewriteBootScript.apply(script));
    commands.start(List.of(instance.instanceId()));
  }

  /** Marks a host STARTING as soon as a start is asked for, so that it shows at once. */
  public void markStarting(HostInstance instance, Instant at) {
    commands.tag(List.of(instance.instanceId()), Map.of(
        HostTags.STATE, HostState.STARTING.name(),
        HostTags.STARTED_AT, at.toString()));
  }

  /** Moves the host's expiry (the policy's bounds are the caller's: {@link ExtendHost}). */
  public void extend(HostInstance instance, Instant expiresAt) {
    commands.tag(List.of(instance.instanceId()), Map.of(HostTags.EXPIRES_AT, expiresAt.toString()));
  }

  /**
   * Records the state EC2 reported for a host (a ready host that stopped is STOPPED; a stopped
   * one that runs again is READY).
   */
  public void correctState(HostInstance instance, HostState state) {
    commands.tag(List.of(instance.instanceId()), Map.of(HostTags.STATE, state.name()));
  }

  /**
   * Keeps marks of other capabilities on hosts (the police's reminders and snoozes, say), in one
   * call for all of them.
   *
   * @throws IllegalArgumentException for a key outside {@code studiocp:} or one the fleet keeps itself
   */
  public void setMarks(Collection<HostInstance> instances, Map<String, String> marks) {
    for (String key : marks.keySet()) {
      if (!key.startsWith(HostTags.PREFIX) || HostTags.KEYS.contains(key)) {
        throw new IllegalArgumentException(key + " is not a mark other capabilities may set on a host");
      }
    }
    if (instances.isEmpty()) {
      return;
    }
    commands.tag(ids(instances), marks);
  }

  private static List<String> ids(Collection<HostInstance> instances) {
    return instances.stream().map(HostInstance::instanceId).toList();
  }
}

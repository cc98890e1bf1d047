package io.studiocp.hosts;

import io.studiocp.platform.Concurrently;
import io.studiocp.studio.StudioUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Every host, whether it has an instance yet or not: an instance tells the state of a launched
 * host, the workflow tells it for a host still in Prepare (or long gone from EC2's listing).
 */
public final class HostDirectory {

  private final HostFleet fleet;
  private final ProvisioningWorkflow workflow;
  private final StudioPaths paths;
  private final int dockerPort;

  public HostDirectory(HostFleet fleet, ProvisioningWorkflow workflow, StudioPaths paths, int dockerPort) {
    this.fleet = fleet;
    this.workflow = workflow;
    this.paths = paths;
    this.dockerPort = dockerPort;
  }

  /**
   * One host. For a failed host the reason comes from its execution when it is still known: an
   * EC2 tag holds only the first 256 characters of it.
   */
  public Optional<Host> find(HostId id) {
    return find(id, false);
  }

  /**
   * {@link #find(HostId)}; with {@code runAlongside}, the execution is read alongside the instances
   * rather than after them only when needed: for a host that had no instance at its last reading
   * (still in Prepare, or waiting for a claim), whose next reading most likely needs both.
   */
  public Optional<Host> find(HostId id, boolean runAlongside) {
    var runLookup = runAlongside ? Concurrently.start(() -> workflow.find(id)) : null;
    Supplier<Optional<WorkflowRun>> run = () -> runLookup == null ? workflow.find(id) : Concurrently.join(runLookup);
    Optional<HostInstance> instance = fleet.instancesOf(id).stream().findFirst();
    if (instance.isEmpty()) {
      return run.get().map(this::fromRun);
    }
    Host host = instance.get().toHost();
    if (host.state() == HostState.FAILED || vanishedWhileProvisioning(instance.get(), host)) {
      return Optional.of(withFailure(host, run.get()));
    }
    return Optional.of(host);
  }

  public List<Host> ownedBy(StudioUser owner) {
    return merge(() -> fleet.ownedBy(owner), id -> id.belongsTo(owner), owner);
  }

  public List<Host> all() {
    return merge(fleet::all, id -> true, null);
  }

  /** The owner's hosts that count against the limit, other than {@code excluding}. */
  public List<Host> active(StudioUser owner, HostId excluding) {
    return ownedBy(owner).stream()
        .filter(h -> h.state().isActive() && !h.id().equals(excluding))
        .toList();
  }

  /** The instances and the running executions, read side by side (neither needs the other). */
  private List<Host> merge(Supplier<List<HostInstance>> instanceReading, Predicate<HostId> runFilter,
      StudioUser owner) {
    var runningLookup = Concurrently.start(workflow::running);
    List<HostInstance> instances = instanceReading.get();
    List<HostId> runningIds = Concurrently.join(runningLookup);
    Map<HostId, Host> byId = new LinkedHashMap<>();
    instances.stream()
        .sorted(Comparator.comparing(HostInstance::launchTime,
            Comparator.nullsLast(Comparator.reverseOrder())))
        .forEach(i -> byId.computeIfAbsent(i.hostId().orElseThrow(), id -> toHost(i)));
    for (HostId running : runningIds) {
      if (!byId.containsKey(running) && runFilter.test(running)) {
        workflow.find(running)
            .filter(run -> owner == null || owner.equals(run.input().owner()))
            .ifPresent(run -> byId.put(running, fromRun(run)));
      }
    }
    List<Host> sorted = new ArrayList<>(byId.values());
    sorted.sort(Comparator.comparing(Host::createdAt, Comparator.nullsLast(Comparator.reverseOrder())));
    return sorted;
  }

  /**
   * A host from its instance. An instance that vanished while still marked as provisioning could
   * not be marked failed: its workflow knows why it ended.
   */
  private Host toHost(HostInstance instance) {
    Host host = instance.toHost();
    return vanishedWhileProvisioning(instance, host) ? withFailure(host, workflow.find(host.id())) : host;
  }

  private static boolean vanishedWhileProvisioning(HostInstance instance, Host host) {
    return host.state() == HostState.TERMINATED && instance.tagState() == HostState.PROVISIONING;
  }

  /** The host as failed with its execution's reason, when its execution failed; else as it is. */
  private Host withFailure(Host host, Optional<WorkflowRun> execution) {
    return execution
        .map(this::fromRun)
        .filter(run -> run.state() == HostState.FAILED)
        .map(run -> withReason(host, run.failureReason()))
        .orElse(host);
  }

  private static Host withReason(Host host, String reason) {
    return new Host(host.id(), host.owner(), HostState.FAILED, host.instanceType(), host.instanceId(),
        host.subnetId(), host.dockerHost(), host.dockerPort(), host.extraPorts(), host.certDirectory(),
        host.createdAt(), host.readyAt(), host.expiresAt(), reason, null, null, host.volumeGiB());
  }

  /** A host that has no instance to show: it is being prepared, or it ended long ago. */
  Host fromRun(WorkflowRun run) {
    HostRequest request = run.input().request();
    HostState state = switch (run.status()) {
      case RUNNING -> HostState.PROVISIONING;
      case SUCCEEDED, ABORTED -> HostState.TERMINATED;
      case FAILED, TIMED_OUT -> HostState.FAILED;
    };
    String reason = state == HostState.FAILED ? Optional.ofNullable(run.cause()).orElse(run.error()) : null;
    return new Host(run.hostId(), run.input().owner(), state, request.instanceType(), null,
        request.subnetId(), null, dockerPort, request.extraPorts(),
        paths.certDirectory(run.input().owner(), run.hostId()), run.startedAt(), null,
        run.startedAt() == null ? null : run.startedAt().plus(Duration.ofHours(request.ttlHours())),
        reason, null, null, request.volumeGiB());
  }
}

package io.studiocp.admin;

import io.studiocp.hosts.Host;
import io.studiocp.hosts.HostCommands;
import io.studiocp.hosts.HostDirectory;
import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.HostQueries;
import io.studiocp.hosts.Hosts;
import io.studiocp.hosts.ProvisioningWorkflow;
import io.studiocp.hosts.StudioPaths;
import io.studiocp.hosts.TerminateHost;
import io.studiocp.hosts.lifecycle.ExtendHost;
import io.studiocp.hosts.lifecycle.StartHost;
import io.studiocp.hosts.lifecycle.StartWorkflow;
import io.studiocp.hosts.lifecycle.StopHost;
import io.studiocp.identity.Actor;
import io.studiocp.platform.Rejection;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * An admin's stop, start, extend and terminate of any user's host: the users' own lifecycle use
 * cases (same rules, same refusals), acting as an admin, over a fleet whose changes are recorded
 * ({@link Recorder}) and, in a dry run, not made. Hosts of domains this control plane does not
 * manage are refused.
 */
public final class AdminHosts {

  private final Hosts hosts;
  private final HostCommands commands;
  private final ProvisioningWorkflow workflow;
  private final StartWorkflow starts;
  private final HostPolicy policy;
  private final StudioPaths paths;
  private final List<String> domainIds;
  private final Clock clock;

  public AdminHosts(Hosts hosts, HostCommands commands, ProvisioningWorkflow workflow, StartWorkflow starts,
      HostPolicy policy, StudioPaths paths, List<String> domainIds, Clock clock) {
    this.hosts = hosts;
    this.commands = commands;
    this.workflow = workflow;
    this.starts = starts;
    this.policy = policy;
    this.paths = paths;
    this.domainIds = List.copyOf(domainIds);
    this.clock = clock;
  }

  /** The use cases over one recorded fleet. */
  private record UseCases(HostQueries queries, HostFleet fleet, ProvisioningWorkflow workflow, StartWorkflow starts) {}

  public Change stop(Actor admin, String hostId, boolean dryRun) {
    return act("stop-host", admin, hostId, dryRun, u -> new StopHost(u.queries(), u.fleet(), clock).stop(admin, hostId));
  }

  public Change start(Actor admin, String hostId, String requestKey, boolean dryRun) {
    return act("start-host", admin, hostId, dryRun, u -> new StartHost(u.queries(), u.fleet(), u.starts(), clock)
        .start(admin, hostId, requestKey));
  }

  public Change extend(Actor admin, String hostId, int ttlHours, boolean dryRun) {
    return act("extend-host", admin, hostId, dryRun, u -> new ExtendHost(u.queries(), u.fleet(), policy, clock)
        .extend(admin, hostId, ttlHours));
  }

  public Change terminate(Actor admin, String hostId, boolean dryRun) {
    return act("terminate-host", admin, hostId, dryRun, u -> new TerminateHost(u.queries(), u.fleet(), u.workflow())
        .terminate(admin, hostId));
  }

  /** The host as an admin sees it, refused when it is not of a managed domain. */
  public Host find(Actor admin, String hostId) {
    HostFleet fleet = new HostFleet(hosts, commands);
    Host host = new HostQueries(new HostDirectory(fleet, workflow, paths, policy.dockerPort())).visible(admin, hostId);
    requireManaged(host);
    return host;
  }

  private Change act(String action, Actor admin, String hostId, boolean dryRun, Function<UseCases, Host> useCase) {
    Host before = find(admin, hostId);
    Recorder recorder = new Recorder(dryRun);
    HostFleet fleet = new HostFleet(hosts, recorder.commands(commands));
    ProvisioningWorkflow recorded = recorder.workflow(workflow);
    HostQueries queries = new HostQueries(new HostDirectory(fleet, recorded, paths, policy.dockerPort()));
    Host after = useCase.apply(new UseCases(queries, fleet, recorded, recorder.starts(starts)));
    List<String> changes = recorder.changes();
    String outcome = changes.isEmpty() ? "nothing to do: host " + hostId + " is " + after.state()
        : (dryRun ? "would leave host " : "host ") + hostId + (dryRun ? " " : " is ") + after.state()
            + (after.expiresAt() != null && action.equals("extend-host") ? ", expiring at " + after.expiresAt() : "");
    return new Change(action, "host " + hostId + " of " + before.owner(), dryRun, before.state().name(), changes,
        outcome);
  }

  private void requireManaged(Host host) {
    String domain = host.owner() == null ? null : host.owner().domainId();
    if (domain == null || !domainIds.contains(domain)) {
      throw Rejection.forbidden("host " + host.id() + " belongs to domain " + domain + ", which this control plane "
          + "does not manage (StudioDomainIds: " + String.join(",", domainIds) + ")");
    }
  }
}

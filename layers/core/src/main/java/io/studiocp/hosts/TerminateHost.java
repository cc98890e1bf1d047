package io.studiocp.hosts;

import io.studiocp.identity.Actor;
import java.util.List;
import java.util.Map;

/** {@code DELETE /hosts/{hostId}}: ends a host in whatever state it is, idempotently. */
public final class TerminateHost {

  private final HostQueries queries;
  private final Hosts hosts;
  private final HostCommands commands;
  private final ProvisioningWorkflow workflow;

  public TerminateHost(HostQueries queries, Hosts hosts, HostCommands commands, ProvisioningWorkflow workflow) {
    this.queries = queries;
    this.hosts = hosts;
    this.commands = commands;
    this.workflow = workflow;
  }

  public Host terminate(Actor actor, String hostId) {
    Host host = queries.visible(actor, hostId);
    if (host.state() == HostState.TERMINATED || host.state() == HostState.TERMINATING) {
      return host;
    }
    if (host.state() == HostState.PROVISIONING) {
      workflow.cancel(host.id(), "terminated by " + actor.principal().arn() + " while provisioning");
    }
    // Read afresh: a launch may have finished between the lookup and the cancel.
    List<String> live = hosts.instancesOf(host.id()).stream()
        .filter(i -> !i.isGone())
        .map(HostInstance::instanceId)
        .toList();
    if (live.isEmpty()) {
      return host.state() == HostState.FAILED ? host : host.withState(HostState.TERMINATED);
    }
    if (host.state() != HostState.FAILED) {
      commands.tag(live, Map.of(HostTags.STATE, HostState.TERMINATING.name()));
    }
    commands.terminate(live);
    return host.state() == HostState.FAILED ? host : host.withState(HostState.TERMINATING);
  }
}

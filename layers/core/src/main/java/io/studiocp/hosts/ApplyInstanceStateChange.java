package io.studiocp.hosts;

import io.studiocp.hosts.provisioning.HostNetwork;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps host state true when EC2 reports an instance state change: a host that stops or goes away
 * while provisioning fails its execution (which compensates), a ready host that stops is STOPPED,
 * an instance whose execution has already ended does not live on, and a terminated host's own
 * security group goes with it.
 */
public final class ApplyInstanceStateChange {

  /** What the change led to. */
  public enum Outcome { IGNORED, NOTED, PROVISIONING_FAILED, ORPHAN_TERMINATED }

  private final Hosts hosts;
  private final HostCommands commands;
  private final ProvisioningWorkflow workflow;
  private final TaskTokens tokens;
  private final HostNetwork network;

  public ApplyInstanceStateChange(Hosts hosts, HostCommands commands, ProvisioningWorkflow workflow,
      TaskTokens tokens, HostNetwork network) {
    this.hosts = hosts;
    this.commands = commands;
    this.workflow = workflow;
    this.tokens = tokens;
    this.network = network;
  }

  public Outcome apply(String instanceId, String ec2State) {
    Optional<HostInstance> found = hosts.instance(instanceId);
    if (found.isEmpty() || !found.get().isManaged()) {
      return Outcome.IGNORED;
    }
    HostInstance instance = found.get();
    HostId id = instance.hostId().orElseThrow();
    HostState tagged = instance.tagState();
    boolean gone = ec2State.equals("shutting-down") || ec2State.equals("terminated");
    boolean down = gone || ec2State.equals("stopping") || ec2State.equals("stopped");

    Outcome outcome = Outcome.NOTED;
    if (tagged == HostState.PROVISIONING && down) {
      outcome = failProvisioning(instance, id, ec2State, gone);
    } else if (tagged == HostState.PROVISIONING && isRunning(ec2State) && executionEnded(id)) {
      commands.tag(List.of(instanceId), Map.of(HostTags.STATE, HostState.TERMINATING.name()));
      commands.terminate(List.of(instanceId));
      outcome = Outcome.ORPHAN_TERMINATED;
    } else if (ec2State.equals("stopped") && tagged == HostState.READY) {
      commands.tag(List.of(instanceId), Map.of(HostTags.STATE, HostState.STOPPED.name()));
    } else if (ec2State.equals("running") && tagged == HostState.STOPPED) {
      commands.tag(List.of(instanceId), Map.of(HostTags.STATE, HostState.READY.name()));
    }
    if (ec2State.equals("terminated") && hostIsGone(id)) {
      network.deleteExtraPortsGroup(id);
    }
    return outcome;
  }

  private Outcome failProvisioning(HostInstance instance, HostId id, String ec2State, boolean gone) {
    String cause = "instance " + instance.instanceId() + " of " + id + " went " + ec2State
        + " before the host was ready";
    boolean delivered = tokens.taskTokenOf(instance.instanceId())
        .map(token -> workflow.failTask(token, "HostLost", cause))
        .orElse(false);
    if (!delivered) {
      // Nobody waits for this instance any more: record why and make sure it is gone.
      if (!ec2State.equals("terminated")) {
        commands.tag(List.of(instance.instanceId()), Map.of(HostTags.STATE, HostState.FAILED.name(),
            HostTags.FAILURE_REASON, HostTags.fit(cause)));
      }
      if (!gone) {
        commands.terminate(List.of(instance.instanceId()));
      }
    }
    return Outcome.PROVISIONING_FAILED;
  }

  /**
   * Whether nothing of the host is left: a retried launch terminates the instance of an earlier
   * attempt while the host lives on in a new one, which still needs the host's security group.
   */
  private boolean hostIsGone(HostId id) {
    return hosts.instancesOf(id).stream().allMatch(i -> "terminated".equals(i.ec2State()))
        && workflow.find(id).map(run -> run.status() != WorkflowRun.Status.RUNNING).orElse(true);
  }

  private boolean executionEnded(HostId id) {
    return workflow.find(id).map(run -> run.status() != WorkflowRun.Status.RUNNING).orElse(false);
  }

  private static boolean isRunning(String ec2State) {
    return ec2State.equals("pending") || ec2State.equals("running");
  }
}

package io.studiocp.hosts;

import java.util.List;
import java.util.Optional;

/**
 * Keeps host state true when EC2 reports an instance state change: a host that stops or goes away
 * while provisioning fails its execution (which compensates), one that goes down while it starts
 * fails its start (which stops it with the reason), a ready host that stops is STOPPED,
 * an instance whose execution has already ended does not live on, and a terminated host's own
 * security group goes with it.
 */
public final class ApplyInstanceStateChange {

  /** What the change led to. */
  public enum Outcome { IGNORED, NOTED, PROVISIONING_FAILED, START_FAILED, ORPHAN_TERMINATED }

  private final HostFleet fleet;
  private final ProvisioningWorkflow workflow;
  private final TaskTokens tokens;
  private final HostNetwork network;
  private final HostSlots slots;

  public ApplyInstanceStateChange(HostFleet fleet, ProvisioningWorkflow workflow, TaskTokens tokens,
      HostNetwork network, HostSlots slots) {
    this.fleet = fleet;
    this.workflow = workflow;
    this.tokens = tokens;
    this.network = network;
    this.slots = slots;
  }

  public Outcome apply(String instanceId, String ec2State) {
    Optional<HostInstance> found = fleet.instance(instanceId);
    if (found.isEmpty()) {
      return Outcome.IGNORED;
    }
    HostInstance instance = found.get();
    HostId id = instance.hostId().orElseThrow();
    HostState tagged = instance.tagState();
    boolean down = List.of("shutting-down", "terminated", "stopping", "stopped").contains(ec2State);

    Outcome outcome = Outcome.NOTED;
    if (tagged == HostState.PROVISIONING && down) {
      outcome = failProvisioning(instance, id, ec2State);
    } else if (tagged == HostState.PROVISIONING && isRunning(ec2State) && executionEnded(id)) {
      fleet.terminate(List.of(instance));
      outcome = Outcome.ORPHAN_TERMINATED;
    } else if (tagged == HostState.STARTING && down) {
      outcome = failStart(instance, ec2State);
    } else if (ec2State.equals("stopped") && tagged == HostState.READY) {
      fleet.correctState(instance, HostState.STOPPED);
    } else if (ec2State.equals("running") && tagged == HostState.STOPPED) {
      fleet.correctState(instance, HostState.READY);
    }
    if (ec2State.equals("terminated") && hostIsGone(id)) {
      network.deleteExtraPortsGroup(id);
      slots.release(id);
    }
    return outcome;
  }

  private Outcome failProvisioning(HostInstance instance, HostId id, String ec2State) {
    String cause = "instance " + instance.instanceId() + " of " + id + " went " + ec2State
        + " before the host was ready";
    if (!failWaitingTask(instance, cause)) {
      // Nobody waits for this instance any more: record why and make sure it is gone.
      fleet.fail(List.of(instance), cause);
    }
    return Outcome.PROVISIONING_FAILED;
  }

  /**
   * A starting host that went down before it reported ready: its start execution is told (it
   * stops the host with the reason); when nobody waits, the host is marked as what it is.
   */
  private Outcome failStart(HostInstance instance, String ec2State) {
    String cause = "instance " + instance.instanceId() + " went " + ec2State + " while it started";
    if (!failWaitingTask(instance, cause) && ec2State.equals("stopped")) {
      fleet.correctState(instance, HostState.STOPPED);
    }
    return Outcome.START_FAILED;
  }

  /** Fails the workflow task the instance's boot script reports to; false when no task waits on it. */
  private boolean failWaitingTask(HostInstance instance, String cause) {
    return tokens.taskTokenOf(instance.instanceId())
        .map(token -> workflow.failTask(token, "HostLost", cause))
        .orElse(false);
  }

  /**
   * Whether nothing of the host is left: a retried launch terminates the instance of an earlier
   * attempt while the host lives on in a new one, which still needs the host's security group.
   */
  private boolean hostIsGone(HostId id) {
    return fleet.instancesOf(id).stream().allMatch(i -> "terminated".equals(i.ec2State()))
        && workflow.find(id).map(run -> run.status() != WorkflowRun.Status.RUNNING).orElse(true);
  }

  private boolean executionEnded(HostId id) {
    return workflow.find(id).map(run -> run.status() != WorkflowRun.Status.RUNNING).orElse(false);
  }

  private static boolean isRunning(String ec2State) {
    return ec2State.equals("pending") || ec2State.equals("running");
  }
}

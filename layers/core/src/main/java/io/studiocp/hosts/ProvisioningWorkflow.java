package io.studiocp.hosts;

import java.util.List;
import java.util.Optional;

/** The {@code ProvisionHost} state machine, seen from the API and the event handlers. */
public interface ProvisioningWorkflow {

  /**
   * Starts the execution named after the host, or finds the one a previous identical request
   * started.
   *
   * @throws RequestConflict when an execution of that name exists with a different input
   */
  void start(ProvisioningInput input);

  /** The executions still running (a host in provisioning may have no instance yet). */
  List<HostId> running();

  Optional<WorkflowRun> find(HostId id);

  /** Stops a running execution (no compensation runs: the caller cleans up). */
  void cancel(HostId id, String cause);

  /**
   * Fails the task waiting on {@code taskToken}, which sends the execution through Compensate.
   *
   * @return false when no task waits on that token any more
   */
  boolean failTask(String taskToken, String error, String cause);

  /** Thrown when the host id is taken by an execution with another input. */
  final class RequestConflict extends RuntimeException {
    public RequestConflict(String message) {
      super(message);
    }
  }
}

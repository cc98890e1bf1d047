package io.studiocp.testkit.fakes;

import io.studiocp.hosts.HostId;
import io.studiocp.hosts.ProvisioningInput;
import io.studiocp.hosts.ProvisioningWorkflow;
import io.studiocp.hosts.WorkflowRun;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provisioning workflow in memory: executions named after their host, and the task tokens a
 * launched host would report back with. A failed task fails its execution as Compensate would
 * leave it; nothing runs on its own, the test moves each execution on.
 */
public final class InMemoryWorkflow implements ProvisioningWorkflow {

  private final Clock clock;
  private final Map<HostId, WorkflowRun> runs = new LinkedHashMap<>();
  private final Map<String, HostId> waiting = new LinkedHashMap<>();
  private final List<String> cancelled = new ArrayList<>();

  public InMemoryWorkflow(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void start(ProvisioningInput input) {
    WorkflowRun existing = runs.get(input.hostId());
    if (existing != null) {
      if (!existing.input().equals(input)) {
        throw new RequestConflict("execution " + input.hostId() + " exists with another input");
      }
      return;
    }
    runs.put(input.hostId(), new WorkflowRun(input.hostId(), WorkflowRun.Status.RUNNING, input, null, null,
        clock.instant(), null));
  }

  @Override
  public List<HostId> running() {
    return runs.values().stream().filter(r -> r.status() == WorkflowRun.Status.RUNNING).map(WorkflowRun::hostId).toList();
  }

  @Override
  public Optional<WorkflowRun> find(HostId id) {
    return Optional.ofNullable(runs.get(id));
  }

  @Override
  public void cancel(HostId id, String cause) {
    WorkflowRun run = runs.get(id);
    if (run != null && run.status() == WorkflowRun.Status.RUNNING) {
      end(id, WorkflowRun.Status.ABORTED, "Cancelled", cause);
      cancelled.add(id.value());
    }
  }

  @Override
  public boolean failTask(String taskToken, String error, String cause) {
    HostId id = waiting.get(taskToken);
    if (id == null) {
      return false;
    }
    end(id, WorkflowRun.Status.FAILED, error, cause);
    return true;
  }

  // ---- moving executions on ------------------------------------------------------------------

  /** The execution's Launch task now waits for {@code taskToken} (its host has it in its user data). */
  public void awaitCallback(HostId id, String taskToken) {
    waiting.put(taskToken, id);
  }

  /** Ends an execution (its waiting task, if any, with it). */
  public void end(HostId id, WorkflowRun.Status status, String error, String cause) {
    WorkflowRun run = runs.get(id);
    if (run == null) {
      throw new IllegalArgumentException("no execution " + id);
    }
    waiting.values().removeIf(id::equals);
    runs.put(id, new WorkflowRun(id, status, run.input(), error, cause, run.startedAt(), clock.instant()));
  }

  /** The hosts whose execution was cancelled, in order. */
  public List<String> cancelled() {
    return List.copyOf(cancelled);
  }
}

package io.studiocp.hosts.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.ProvisioningInput;
import io.studiocp.hosts.ProvisioningWorkflow;
import io.studiocp.hosts.WorkflowRun;
import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/** {@link ProvisioningWorkflow} over Step Functions; executions are named after their host. */
public final class SfnProvisioningWorkflow implements ProvisioningWorkflow {

  private final SfnClient sfn;
  private final String stateMachineArn;

  public SfnProvisioningWorkflow(SfnClient sfn, String stateMachineArn) {
    if (!stateMachineArn.contains(":stateMachine:")) {
      throw new IllegalArgumentException("not a state machine ARN: " + stateMachineArn);
    }
    this.sfn = sfn;
    this.stateMachineArn = stateMachineArn;
  }

  String executionArn(HostId id) {
    return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + id.value();
  }

  @Override
  public void start(ProvisioningInput input) {
    String json = toJson(input);
    try {
      sfn.startExecution(r -> r.stateMachineArn(stateMachineArn).name(input.hostId().value()).input(json));
    } catch (ExecutionAlreadyExistsException e) {
      // Started before: the same request again is fine, another one under the same id is not.
      Optional<WorkflowRun> existing = find(input.hostId());
      if (existing.isEmpty() || !input.equals(existing.get().input())) {
        throw new RequestConflict("execution " + input.hostId() + " exists with another input");
      }
    } catch (SdkException e) {
      throw AwsFailures.classify("StartExecution " + input.hostId(), e);
    }
  }

  @Override
  public List<HostId> running() {
    try {
      List<HostId> ids = new ArrayList<>();
      sfn.listExecutionsPaginator(r -> r.stateMachineArn(stateMachineArn).statusFilter(ExecutionStatus.RUNNING))
          .executions().forEach(e -> {
            if (HostId.isValid(e.name())) {
              ids.add(new HostId(e.name()));
            }
          });
      return ids;
    } catch (SdkException e) {
      throw AwsFailures.classify("ListExecutions", e);
    }
  }

  @Override
  public Optional<WorkflowRun> find(HostId id) {
    DescribeExecutionResponse d;
    try {
      d = sfn.describeExecution(r -> r.executionArn(executionArn(id)));
    } catch (ExecutionDoesNotExistException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeExecution " + id, e);
    }
    ProvisioningInput input;
    try {
      input = Json.mapper().readValue(d.input(), ProvisioningInput.class);
    } catch (JsonProcessingException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.of(new WorkflowRun(id, status(d.status()), input, d.error(), d.cause(),
        d.startDate(), d.stopDate()));
  }

  private static WorkflowRun.Status status(ExecutionStatus status) {
    return switch (status) {
      case RUNNING, PENDING_REDRIVE -> WorkflowRun.Status.RUNNING;
      case SUCCEEDED -> WorkflowRun.Status.SUCCEEDED;
      case TIMED_OUT -> WorkflowRun.Status.TIMED_OUT;
      case ABORTED -> WorkflowRun.Status.ABORTED;
      default -> WorkflowRun.Status.FAILED;
    };
  }

  @Override
  public void cancel(HostId id, String cause) {
    try {
      sfn.stopExecution(r -> r.executionArn(executionArn(id)).error("Cancelled").cause(cause));
    } catch (ExecutionDoesNotExistException e) {
      // nothing to stop
    } catch (SdkException e) {
      throw AwsFailures.classify("StopExecution " + id, e);
    }
  }

  @Override
  public boolean failTask(String taskToken, String error, String cause) {
    try {
      sfn.sendTaskFailure(r -> r.taskToken(taskToken).error(error).cause(cause));
      return true;
    } catch (TaskDoesNotExistException | TaskTimedOutException | InvalidTokenException e) {
      return false;
    } catch (SdkException e) {
      throw AwsFailures.classify("SendTaskFailure", e);
    }
  }

  private static String toJson(ProvisioningInput input) {
    try {
      return Json.mapper().writeValueAsString(input);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

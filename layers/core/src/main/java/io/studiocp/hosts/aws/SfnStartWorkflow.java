package io.studiocp.hosts.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.studiocp.hosts.lifecycle.StartInput;
import io.studiocp.hosts.lifecycle.StartWorkflow;
import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.Digests;
import io.studiocp.platform.Json;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/**
 * {@link StartWorkflow} over Step Functions: one execution per start of a host, named after the
 * host and the request's idempotency key, so that a repeated request finds its own execution.
 */
public final class SfnStartWorkflow implements StartWorkflow {

  private final SfnClient sfn;
  private final String stateMachineArn;

  public SfnStartWorkflow(SfnClient sfn, String stateMachineArn) {
    if (!stateMachineArn.contains(":stateMachine:")) {
      throw new IllegalArgumentException("not a state machine ARN: " + stateMachineArn);
    }
    this.sfn = sfn;
    this.stateMachineArn = stateMachineArn;
  }

  @Override
  public void start(StartInput input, String requestKey) {
    String key = requestKey == null || requestKey.isBlank() ? UUID.randomUUID().toString() : requestKey;
    String name = input.hostId() + "-" + Digests.sha256Hex(key).substring(0, 16);
    String json;
    try {
      json = Json.mapper().writeValueAsString(input);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    try {
      sfn.startExecution(r -> r.stateMachineArn(stateMachineArn).name(name).input(json));
    } catch (ExecutionAlreadyExistsException e) {
      // The same request again: its execution runs or ran already.
    } catch (SdkException e) {
      throw AwsFailures.classify("StartExecution " + name, e);
    }
  }
}

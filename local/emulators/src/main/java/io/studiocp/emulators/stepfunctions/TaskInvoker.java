package io.studiocp.emulators.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;

/** Runs the Lambda function a Task state names, in whatever way the host process chooses. */
@FunctionalInterface
public interface TaskInvoker {

  /**
   * Invokes {@code functionName} (an ARN or name, as written in the definition) with
   * {@code payload} and returns what the function returned.
   *
   * @throws FunctionError when the function fails, as Lambda reports it
   */
  JsonNode invoke(String functionName, JsonNode payload) throws FunctionError;

  /** A function's failure: Step Functions names the error after {@code errorType}. */
  final class FunctionError extends Exception {

    private final String errorType;

    public FunctionError(String errorType, String errorMessage) {
      super(errorMessage);
      this.errorType = errorType;
    }

    public String errorType() {
      return errorType;
    }
  }
}

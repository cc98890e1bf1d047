package io.studiocp.emulators.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.http.AwsJsonError;
import io.studiocp.emulators.http.AwsJsonServer;
import io.studiocp.emulators.model.ShapeChecker.Kind;
import io.studiocp.emulators.model.ShapeChecker.Problem;
import io.studiocp.emulators.model.ShapeChecker.Scope;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A stand-in's operations behind its service model, as AWS's front end stands before a service:
 * an operation the model lacks is {@code UnknownOperationException}; a body that is not a document
 * of the input shape (an unknown member, a wrong JSON type) is {@code SerializationException}; a
 * member out of the model's bounds is {@code ValidationException} with AWS's message. The
 * operations only ever see requests the model accepts.
 *
 * <p>The stand-in's own answers are held to the model too: an answer with a member the model does
 * not know, a missing required member, a wrong type or an enum value outside the model, or an error
 * code the service does not model, is a defect of the stand-in and fails the call with a 500 that
 * says so, in every test and in the sandbox alike.
 */
public final class ModelledOperations implements AwsJsonServer.Operations {

  /** Errors every AWS JSON service may answer, modelled or not. */
  private static final Set<String> COMMON_ERRORS = Set.of("ValidationException", "SerializationException",
      "ThrottlingException", "UnknownOperationException", "InternalFailure", "AccessDeniedException");

  private final ServiceModel model;
  private final ShapeChecker checker;
  private final AwsJsonServer.Operations operations;
  private final Set<String> errors = new LinkedHashSet<>();

  public ModelledOperations(ServiceModel model, AwsJsonServer.Operations operations) {
    this.model = model;
    this.checker = new ShapeChecker(model);
    this.operations = operations;
    errors.addAll(COMMON_ERRORS);
    errors.addAll(model.errorShapes());
  }

  public ServiceModel model() {
    return model;
  }

  @Override
  public JsonNode handle(String operationName, ObjectNode input) {
    ServiceModel.Operation operation = model.operation(operationName).orElseThrow(() -> new AwsJsonError(
        "UnknownOperationException", "The stand-in does not implement the operation " + operationName));
    if (operation.input() != null) {
      validate(operation.input(), input);
    } else if (!input.isEmpty()) {
      throw new AwsJsonError("SerializationException", operationName + " takes no input");
    }
    JsonNode output;
    try {
      output = operations.handle(operationName, input);
    } catch (AwsJsonError e) {
      if (!errors.contains(e.type())) {
        throw defect(operationName, "it answered the error " + e.type() + ", which the model does not define ("
            + e.getMessage() + ")");
      }
      throw e;
    }
    checkAnswer(operation, output);
    return output;
  }

  private void validate(String shape, ObjectNode input) {
    List<Problem> problems = checker.check(shape, input, Scope.REQUEST);
    problems.stream().filter(p -> p.kind() == Kind.SERIALIZATION).findFirst().ifPresent(p -> {
      throw new AwsJsonError("SerializationException", p.message());
    });
    if (!problems.isEmpty()) {
      throw new AwsJsonError("ValidationException", ShapeChecker.validationMessage(problems));
    }
  }

  private void checkAnswer(ServiceModel.Operation operation, JsonNode output) {
    if (operation.output() == null) {
      if (output != null && !output.isEmpty()) {
        throw defect(operation.name(), "it answered " + output + " where the model has no output");
      }
      return;
    }
    List<Problem> problems = checker.check(operation.output(), output == null ? JsonNodeFactory.instance.objectNode() : output,
        Scope.RESPONSE);
    if (!problems.isEmpty()) {
      throw defect(operation.name(), "its answer does not match " + operation.output() + ": "
          + String.join("; ", problems.stream().map(p -> p.path() + ": " + p.describe()).toList()));
    }
  }

  private static AwsJsonError defect(String operation, String what) {
    return new AwsJsonError("InternalFailure", "Stand-in defect in " + operation + ": " + what, 500);
  }
}

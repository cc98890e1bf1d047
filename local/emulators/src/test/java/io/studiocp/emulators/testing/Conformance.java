package io.studiocp.emulators.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.emulators.http.AwsJsonServer.Exchange;
import io.studiocp.emulators.model.ServiceModel;
import io.studiocp.emulators.model.ShapeChecker;
import io.studiocp.emulators.model.ShapeChecker.Problem;
import io.studiocp.emulators.model.ShapeChecker.Scope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Holds every call a stand-in answered to botocore's model of the service: a request botocore
 * finds invalid must have been refused with ValidationException or SerializationException; every
 * answer must have only the members, required members, types and enums of the operation's output
 * shape; every error must be one the service models (or AWS's common ones), never a 500.
 */
public final class Conformance implements Consumer<Exchange> {

  private static final Set<String> COMMON = Set.of("ValidationException", "SerializationException",
      "ThrottlingException", "UnknownOperationException");

  private final ServiceModel botocore;
  private final ShapeChecker checker;
  private final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());

  public Conformance(ServiceModel botocore) {
    this.botocore = botocore;
    this.checker = new ShapeChecker(botocore);
  }

  @Override
  public void accept(Exchange exchange) {
    if (!exchange.forwarded()) {
      exchanges.add(exchange);
    }
  }

  public List<Exchange> exchanges() {
    synchronized (exchanges) {
      return List.copyOf(exchanges);
    }
  }

  /**
   * Fails naming every call that breaks the model, and every operation of {@code answered} that no
   * call answered with a 200.
   *
   * @return how many calls were checked
   */
  public int assertConforms(Collection<String> answered) {
    List<String> broken = new ArrayList<>();
    Set<String> succeeded = new TreeSet<>();
    List<Exchange> calls = exchanges();
    for (Exchange call : calls) {
      String where = call.operation() + " " + call.request() + " -> " + call.status() + " " + call.response();
      ServiceModel.Operation operation = botocore.operation(call.operation()).orElse(null);
      if (operation == null) {
        broken.add("not an operation of the model: " + where);
        continue;
      }
      List<Problem> requestProblems = call.request() == null ? List.of()
          : operation.input() == null ? List.of() : checker.check(operation.input(), call.request(), Scope.REQUEST);
      String error = call.status() >= 400 ? call.response().path("__type").asText() : null;
      if ("UnknownOperationException".equals(error) && call.status() == 400) {
        continue; // an operation the stand-in does not implement, refused as such
      }
      boolean refusedAsInvalid = "ValidationException".equals(error) || "SerializationException".equals(error);
      if ((call.request() == null || !requestProblems.isEmpty()) && !refusedAsInvalid) {
        broken.add("botocore finds the request invalid (" + requestProblems.stream().map(Problem::describe).toList()
            + ") but the stand-in did not refuse it: " + where);
      }
      if (call.status() == 200) {
        succeeded.add(call.operation());
        List<Problem> answerProblems = operation.output() == null
            ? (call.response().isEmpty() ? List.of() : List.of(new Problem(ShapeChecker.Kind.SERIALIZATION, "",
                null, "an answer where the model has no output")))
            : checker.check(operation.output(), call.response(), Scope.RESPONSE);
        answerProblems.forEach(p -> broken.add("answer breaks " + operation.output() + " at '" + p.path() + "': "
            + p.describe() + " in " + where));
      } else if (call.status() >= 500) {
        broken.add("a server error: " + where);
      } else if (!COMMON.contains(error) && !botocore.errorShapes().contains(error)) {
        broken.add("an error code the model does not define (" + error + "): " + where);
      }
    }
    for (String op : answered) {
      if (!succeeded.contains(op)) {
        broken.add("no call of " + op + " was answered with a 200");
      }
    }
    if (!broken.isEmpty()) {
      fail(broken.size() + " of " + calls.size() + " calls break the model:\n  " + String.join("\n  ", broken));
    }
    assertTrue(!calls.isEmpty(), "calls were recorded");
    return calls.size();
  }
}

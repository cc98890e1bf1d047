package io.studiocp.emulators.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.studiocp.emulators.sagemaker.StudioStandIn;
import io.studiocp.emulators.ssm.SsmStandIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The models the stand-ins ship are botocore's, cut to the operations they implement: every shape
 * they validate against is exactly botocore's (names, members, required members, types, bounds,
 * patterns, enums), so a member we invent or misspell cannot pass. When botocore changes, this
 * fails; regenerate with
 * {@code mvn -pl local/emulators test -Dtest=ShippedModelsTest -Dstudiocp.writeModels=true}.
 */
class ShippedModelsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path RESOURCES = Path.of("src/main/resources");

  static Stream<Arguments> shipped() {
    return Stream.of(
        Arguments.of("sagemaker", StudioStandIn.class, StudioStandIn.MODEL, StudioStandIn.OPERATIONS),
        Arguments.of("resourcegroupstaggingapi", StudioStandIn.class, StudioStandIn.TAGGING_MODEL,
            StudioStandIn.TAGGING_OPERATIONS),
        Arguments.of("ssm", SsmStandIn.class, SsmStandIn.MODEL, SsmStandIn.OPERATIONS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shipped")
  void theShippedModelIsBotocoresCutToTheImplementedOperations(String service, Class<?> standIn, String resource,
      List<String> operations) throws IOException {
    ServiceModel expected = Botocore.model(service).trimmedTo(operations);
    if (Boolean.getBoolean("studiocp.writeModels")) {
      Path file = RESOURCES.resolve(standIn.getPackageName().replace('.', '/')).resolve(resource);
      Files.writeString(file, render(expected.toJson()));
    }
    ServiceModel shipped = ServiceModel.resource(standIn, resource);
    List<String> differences = new ArrayList<>();
    if (!shipped.operationNames().equals(expected.operationNames())) {
      differences.add("operations: shipped " + shipped.operationNames() + ", implemented " + operations);
    }
    for (String op : expected.operationNames()) {
      if (!expected.operation(op).equals(shipped.operation(op))) {
        differences.add("operation " + op + ": botocore " + expected.operation(op).orElseThrow()
            + ", shipped " + shipped.operation(op).orElse(null));
      }
    }
    TreeSet<String> names = new TreeSet<>(expected.shapeNames());
    names.addAll(shipped.shapeNames());
    for (String name : names) {
      JsonNode ours = shipped.hasShape(name) ? shipped.shape(name) : null;
      JsonNode theirs = expected.hasShape(name) ? expected.shape(name) : null;
      if (ours == null || !ours.equals(theirs)) {
        differences.add("shape " + name + ": botocore " + theirs + ", shipped " + ours);
      }
    }
    if (!differences.isEmpty()) {
      fail(resource + " differs from botocore " + Botocore.version() + "'s " + service + " model in "
          + differences.size() + " place(s). Regenerate it with: mvn -pl local/emulators test "
          + "-Dtest=ShippedModelsTest -Dstudiocp.writeModels=true\n  " + String.join("\n  ", differences));
    }
  }

  @Test
  void theAgentsRegistrationIsModelledBesideBotocoreNeverOverIt() {
    ServiceModel agent = ServiceModel.resource(SsmStandIn.class, SsmStandIn.AGENT_MODEL);
    ServiceModel botocore = Botocore.model("ssm");
    assertEquals(List.of(SsmStandIn.REGISTER), List.copyOf(agent.operationNames()));
    assertTrue(botocore.operation(SsmStandIn.REGISTER).isEmpty(),
        "botocore now models " + SsmStandIn.REGISTER + ": use its shapes instead of ssm-agent.json");
    for (String shape : agent.shapeNames()) {
      assertFalse(botocore.hasShape(shape), "the agent's shape " + shape + " shadows botocore's");
    }
    for (String error : agent.operation(SsmStandIn.REGISTER).orElseThrow().errors()) {
      assertTrue(botocore.errorShapes().contains(error), error + " is one of SSM's modelled errors");
    }
  }

  /** Botocore's layout, one shape per line, so that a change reads as a small diff. */
  private static String render(JsonNode model) throws IOException {
    StringBuilder out = new StringBuilder("{\n  \"metadata\": ").append(JSON.writeValueAsString(model.get("metadata")));
    for (String section : List.of("operations", "shapes")) {
      out.append(",\n  \"").append(section).append("\": {");
      boolean first = true;
      for (Map.Entry<String, JsonNode> entry : model.get(section).properties()) {
        out.append(first ? "\n    " : ",\n    ").append(JSON.writeValueAsString(entry.getKey())).append(": ")
            .append(JSON.writeValueAsString(entry.getValue()));
        first = false;
      }
      out.append("\n  }");
    }
    return out.append("\n}\n").toString();
  }
}

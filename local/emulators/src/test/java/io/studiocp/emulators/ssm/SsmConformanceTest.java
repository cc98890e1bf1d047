package io.studiocp.emulators.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.model.ServiceModel;
import io.studiocp.emulators.model.ShapeChecker;
import io.studiocp.emulators.testing.ModelProbes;
import io.studiocp.emulators.testing.ModelProbes.Probe;
import io.studiocp.emulators.testing.RawCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ssm.model.DescribeActivationsFilter;
import software.amazon.awssdk.services.ssm.model.DescribeActivationsFilterKeys;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;
import software.amazon.awssdk.services.ssm.model.ResourceTypeForTagging;
import software.amazon.awssdk.services.ssm.model.Tag;

/**
 * The SSM stand-in against botocore's own model of SSM: every operation it answers, called through
 * the real SDK, with every request and answer held to botocore's shapes; and every way the model
 * says a request is broken, refused as SSM refuses it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SsmConformanceTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SsmFixture fixture;
  private String node;

  @BeforeAll
  void start() {
    fixture = new SsmFixture(null);
    SsmWorld.Activation activation = fixture.activation("alice", 2);
    node = fixture.standIn.register(activation.activationId(), activation.activationCode(), "conformance");
  }

  @AfterAll
  void stop() {
    fixture.close();
  }

  @Test
  void everyOperationAnswersWithinBotocoresShapes() {
    var ssm = fixture.ssm;
    String id = ssm.createActivation(r -> r.iamRole(SsmFixture.ROLE).description("d").defaultInstanceName("n")
        .registrationLimit(3).expirationDate(Instant.parse("2025-06-10T00:00:00Z"))
        .tags(Tag.builder().key("k").value("v").build())).activationId();
    ssm.describeActivations(r -> r.filters(DescribeActivationsFilter.builder()
        .filterKey(DescribeActivationsFilterKeys.ACTIVATION_IDS).filterValues(id).build()).maxResults(1));
    ssm.describeInstanceInformation(r -> r.filters(InstanceInformationStringFilter.builder().key("tag:owner")
        .values("alice").build()).maxResults(5));
    ssm.addTagsToResource(r -> r.resourceType(ResourceTypeForTagging.MANAGED_INSTANCE).resourceId(node)
        .tags(Tag.builder().key("k").value("v").build()));
    ssm.listTagsForResource(r -> r.resourceType(ResourceTypeForTagging.MANAGED_INSTANCE).resourceId(node));
    ssm.removeTagsFromResource(r -> r.resourceType(ResourceTypeForTagging.MANAGED_INSTANCE).resourceId(node)
        .tagKeys("k"));
    ssm.deregisterManagedInstance(r -> r.instanceId(node));
    ssm.deleteActivation(r -> r.activationId(id));
    List<String> answered = new ArrayList<>(SsmStandIn.OPERATIONS);
    assertTrue(fixture.conformance.assertConforms(answered) >= answered.size());
  }

  @TestFactory
  Stream<DynamicTest> everyRequestBotocoresModelRefusesIsRefused() {
    String activation = "11111111-2222-3333-4444-555555555555";
    Map<String, String> valid = Map.of(
        "CreateActivation", "{\"IamRole\": \"role\"}",
        "DescribeActivations", "{}",
        "DeleteActivation", "{\"ActivationId\": \"" + activation + "\"}",
        "DescribeInstanceInformation", "{}",
        "DeregisterManagedInstance", "{\"InstanceId\": \"mi-0123456789abcdef0\"}",
        "AddTagsToResource", "{\"ResourceType\": \"ManagedInstance\", \"ResourceId\": \"mi-0123456789abcdef0\","
            + " \"Tags\": [{\"Key\": \"k\", \"Value\": \"v\"}]}",
        "ListTagsForResource", "{\"ResourceType\": \"ManagedInstance\", \"ResourceId\": \"mi-0123456789abcdef0\"}",
        "RemoveTagsFromResource", "{\"ResourceType\": \"ManagedInstance\", \"ResourceId\": \"mi-0123456789abcdef0\","
            + " \"TagKeys\": [\"k\"]}",
        SsmStandIn.REGISTER, "{\"ActivationId\": \"" + activation + "\", \"ActivationCode\": \"abcdefghij0123456789\","
            + " \"PublicKey\": \"" + "A".repeat(392) + "\", \"Fingerprint\": \"f\"}");
    List<String> all = new ArrayList<>(SsmStandIn.OPERATIONS);
    all.add(SsmStandIn.REGISTER);
    assertEquals(all.stream().sorted().toList(), valid.keySet().stream().sorted().toList());
    ServiceModel model = SsmFixture.model();
    ShapeChecker botocore = new ShapeChecker(model);
    List<DynamicTest> tests = new ArrayList<>();
    valid.forEach((operation, body) -> {
      ObjectNode request = parse(body);
      String input = model.operation(operation).orElseThrow().input();
      assertTrue(botocore.check(input, request, ShapeChecker.Scope.REQUEST).isEmpty(), operation);
      for (Probe probe : ModelProbes.of(model, operation, request)) {
        if (operation.endsWith("Resource") && probe.body().path("ResourceType").asText().equals("NotAnEnumValue")) {
          continue; // any other resource type is moto's, which answers it in its own way
        }
        tests.add(dynamicTest(operation + " " + probe.description(), () -> {
          assertFalse(botocore.check(input, probe.body(), ShapeChecker.Scope.REQUEST).isEmpty());
          RawCall.Answer answer = RawCall.post(fixture.standIn.endpoint(), "AmazonSSM." + operation, probe.body());
          assertEquals(400, answer.status(), answer.body().toString());
          assertEquals(probe.error(), answer.errorType(), answer.message());
          assertTrue(answer.message().contains(probe.member()), probe.member() + " named in: " + answer.message());
        }));
      }
    });
    assertTrue(tests.size() > 60, "probes: " + tests.size());
    return tests.stream();
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.studiocp.emulators.sagemaker;

import static io.studiocp.emulators.sagemaker.StudioFixture.DOMAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.http.AwsJsonServer.Exchange;
import io.studiocp.emulators.model.Botocore;
import io.studiocp.emulators.model.ServiceModel;
import io.studiocp.emulators.model.ShapeChecker;
import io.studiocp.emulators.testing.RawCall;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.AppType;
import software.amazon.awssdk.services.sagemaker.model.SharingType;

/**
 * The calls Studio sessions make (sdocker studio up, down, status, spaces), as the control plane's
 * adapter makes them, held to botocore's SageMaker model both ways; and the check itself shown to
 * fail for each of them when a member is invented or misspelled, in the request or in the answer.
 */
class StudioSessionCallsTest {

  private static final Set<String> SESSION_OPERATIONS = Set.of("CreatePresignedDomainUrl", "CreateSpace",
      "DescribeSpace", "ListSpaces", "ListApps", "DeleteApp", "DeleteSpace");

  private StudioFixture studio;
  private final ServiceModel model = Botocore.model("sagemaker");
  private final ShapeChecker botocore = new ShapeChecker(model);

  @BeforeEach
  void start() {
    studio = new StudioFixture();
  }

  @AfterEach
  void stop() {
    studio.close();
  }

  private void aSession() {
    var sm = studio.sagemaker;
    sm.listApps(r -> r.domainIdEquals(DOMAIN).maxResults(100));
    sm.listSpaces(r -> r.domainIdEquals(DOMAIN).maxResults(100));
    sm.createSpace(r -> r.domainId(DOMAIN).spaceName("new-space")
        .ownershipSettings(o -> o.ownerUserProfileName("bob"))
        .spaceSharingSettings(s -> s.sharingType(SharingType.PRIVATE))
        .spaceSettings(s -> s.appType(AppType.JUPYTER_LAB)));
    sm.describeSpace(r -> r.domainId(DOMAIN).spaceName("new-space"));
    sm.createPresignedDomainUrl(r -> r.domainId(DOMAIN).userProfileName("bob").spaceName("new-space")
        .landingUri("app:JupyterLab:").sessionExpirationDurationInSeconds(1800).expiresInSeconds(5));
    sm.deleteApp(r -> r.domainId(DOMAIN).userProfileName("alice").appType(AppType.KERNEL_GATEWAY).appName("a1"));
    studio.advance(StudioFixture.PENDING);
    sm.deleteSpace(r -> r.domainId(DOMAIN).spaceName("new-space"));
    // The stand-in records an exchange once its answer is sent: wait for the last one.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (studio.conformance.exchanges().size() < 7 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  @Test
  void everyCallOfASessionKeepsToBotocoresModel() {
    aSession();
    studio.conformance.assertConforms(SESSION_OPERATIONS);
  }

  @Test
  void anInventedOrMisspelledMemberInAnyOfTheirRequestsOrAnswersFailsTheCheck() {
    aSession();
    List<String> unnoticed = new ArrayList<>();
    Set<String> checked = new TreeSet<>();
    for (Exchange call : studio.conformance.exchanges()) {
      if (call.status() != 200) {
        continue;
      }
      ServiceModel.Operation operation = model.operation(call.operation()).orElseThrow();
      checked.add(call.operation());
      for (JsonNode misspelled : misspellings(call.request())) {
        if (botocore.check(operation.input(), misspelled, ShapeChecker.Scope.REQUEST).isEmpty()) {
          unnoticed.add(call.operation() + " request " + misspelled);
        }
      }
      if (operation.output() != null) {
        for (JsonNode misspelled : misspellings(call.response())) {
          if (botocore.check(operation.output(), misspelled, ShapeChecker.Scope.RESPONSE).isEmpty()) {
            unnoticed.add(call.operation() + " answer " + misspelled);
          }
        }
      }
    }
    assertEquals(new TreeSet<>(SESSION_OPERATIONS), checked);
    assertEquals(List.of(), unnoticed);
  }

  @Test
  void theStandInRefusesAMisspelledRequestMemberAndAnEnumValueOutsideTheModel() {
    RawCall.Answer misspelled = RawCall.post(studio.standIn.endpoint(), "SageMaker.CreatePresignedDomainUrl",
        ("{\"DomainId\": \"d-test\", \"UserProfileName\": \"alice\", \"SessionExpirationDurationInSecond\": 1800}"));
    assertEquals(400, misspelled.status());
    assertEquals("SerializationException", misspelled.errorType());

    RawCall.Answer badSharing = RawCall.post(studio.standIn.endpoint(), "SageMaker.CreateSpace",
        ("{\"DomainId\": \"d-test\", \"SpaceName\": \"x\", \"OwnershipSettings\": {\"OwnerUserProfileName\": \"bob\"},"
            + " \"SpaceSharingSettings\": {\"SharingType\": \"Personal\"}}"));
    assertEquals(400, badSharing.status());
    assertEquals("ValidationException", badSharing.errorType());
    assertTrue(badSharing.message().contains("Personal"), badSharing.message());
    assertFalse(studio.world.space(DOMAIN, "x").isPresent());

    ObjectNode answer = (ObjectNode) json("{\"Apps\": [{\"DomainId\": \"d-test\", \"AppType\": \"KernelGateway\","
        + " \"AppName\": \"a\", \"Status\": \"Stopped\"}]}");
    assertFalse(botocore.check("ListAppsResponse", answer, ShapeChecker.Scope.RESPONSE).isEmpty(),
        "an app status SageMaker does not have");
  }

  /** The document with each of its members, at any depth, renamed by one letter (an invented member). */
  private static List<JsonNode> misspellings(JsonNode document) {
    List<JsonNode> variants = new ArrayList<>();
    collect(document, document, new ArrayList<>(), variants);
    return variants;
  }

  private static void collect(JsonNode root, JsonNode node, List<Object> path, List<JsonNode> variants) {
    if (node instanceof ObjectNode object) {
      for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        ObjectNode copy = root.deepCopy();
        ObjectNode parent = (ObjectNode) at(copy, path);
        parent.set(field + "s", parent.remove(field));
        variants.add(copy);
        List<Object> deeper = new ArrayList<>(path);
        deeper.add(field);
        collect(root, object.get(field), deeper, variants);
      }
    } else if (node != null && node.isArray() && !node.isEmpty()) {
      List<Object> first = new ArrayList<>(path);
      first.add(0);
      collect(root, node.get(0), first, variants);
    }
  }

  private static JsonNode at(JsonNode node, List<Object> path) {
    for (Object step : path) {
      node = step instanceof Integer i ? node.get(i) : node.get((String) step);
    }
    return node;
  }

  private static JsonNode json(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

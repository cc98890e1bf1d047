package io.studiocp.emulators.sagemaker;

import static io.studiocp.emulators.sagemaker.StudioFixture.ARN_PREFIX;
import static io.studiocp.emulators.sagemaker.StudioFixture.DOMAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.model.Botocore;
import io.studiocp.emulators.model.ServiceModel;
import io.studiocp.emulators.model.ShapeChecker;
import io.studiocp.emulators.testing.ModelProbes;
import io.studiocp.emulators.testing.ModelProbes.Probe;
import io.studiocp.emulators.testing.RawCall;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.TagFilter;
import software.amazon.awssdk.services.sagemaker.model.AppInstanceType;
import software.amazon.awssdk.services.sagemaker.model.AppType;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.SharingType;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * The Studio stand-in against botocore's own models of SageMaker and the Resource Groups Tagging
 * API: every operation it implements, called through the real SDK and answered, with every request
 * and answer held to botocore's shapes; and, for every operation, every way botocore's model says a
 * request is broken, refused as SageMaker refuses it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StudioConformanceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALICE = ARN_PREFIX + "user-profile/d-test/alice";

  private StudioFixture studio;

  @BeforeAll
  void start() {
    studio = new StudioFixture();
  }

  @AfterAll
  void stop() {
    studio.close();
  }

  @Test
  void everyOperationAnswersWithinBotocoresShapes() {
    var sm = studio.sagemaker;
    assertFalse(sm.listDomains(r -> r.maxResults(5)).domains().isEmpty());
    sm.describeDomain(r -> r.domainId(DOMAIN));
    sm.listUserProfiles(r -> r.domainIdEquals(DOMAIN).userProfileNameContains("a"));
    sm.describeUserProfile(r -> r.domainId(DOMAIN).userProfileName("alice"));
    sm.createSpace(r -> r.domainId(DOMAIN).spaceName("conformance").spaceDisplayName("Conformance")
        .ownershipSettings(o -> o.ownerUserProfileName("bob"))
        .spaceSharingSettings(s -> s.sharingType(SharingType.SHARED))
        .spaceSettings(s -> s.appType(AppType.JUPYTER_LAB).remoteAccess("ENABLED")
            .spaceStorageSettings(st -> st.ebsStorageSettings(e -> e.ebsVolumeSizeInGb(10))))
        .tags(Tag.builder().key("team").value("a").build()));
    sm.listSpaces(r -> r.domainIdEquals(DOMAIN));
    sm.describeSpace(r -> r.domainId(DOMAIN).spaceName("conformance"));
    sm.createApp(r -> r.domainId(DOMAIN).spaceName("conformance").appType(AppType.JUPYTER_LAB).appName("default")
        .resourceSpec(s -> s.instanceType(AppInstanceType.ML_T3_MEDIUM)));
    sm.createApp(r -> r.domainId(DOMAIN).userProfileName("bob").appType(AppType.JUPYTER_SERVER).appName("default"));
    sm.listApps(r -> r.domainIdEquals(DOMAIN).maxResults(2));
    sm.describeApp(r -> r.domainId(DOMAIN).spaceName("conformance").appType(AppType.JUPYTER_LAB).appName("default"));
    studio.advance(StudioFixture.PENDING);
    sm.startSession(r -> r.resourceIdentifier(ARN_PREFIX + "space/d-test/conformance"));
    sm.deleteApp(r -> r.domainId(DOMAIN).spaceName("conformance").appType(AppType.JUPYTER_LAB).appName("default"));
    studio.advance(StudioFixture.DELETING);
    sm.deleteSpace(r -> r.domainId(DOMAIN).spaceName("conformance"));
    sm.addTags(r -> r.resourceArn(ALICE).tags(Tag.builder().key("k").value("v").build()));
    sm.listTags(r -> r.resourceArn(ALICE));
    sm.deleteTags(r -> r.resourceArn(ALICE).tagKeys("k"));
    sm.createPresignedDomainUrl(r -> r.domainId(DOMAIN).userProfileName("alice").spaceName("shared-space"));
    assertThrows(ResourceNotFoundException.class, () -> sm.describeApp(r -> r.domainId(DOMAIN)
        .userProfileName("bob").appType(AppType.KERNEL_GATEWAY).appName("none")));

    studio.tagging.tagResources(r -> r.resourceARNList(ALICE, ARN_PREFIX + "space/d-test/none")
        .tags(Map.of("studiocp:probe", "1")));
    assertEquals(1, studio.tagging.getResources(r -> r.tagFilters(TagFilter.builder().key("studiocp:probe").build()))
        .resourceTagMappingList().size());
    studio.tagging.untagResources(r -> r.resourceARNList(ALICE).tagKeys("studiocp:probe"));

    assertTrue(studio.conformance.assertConforms(StudioStandIn.OPERATIONS) >= StudioStandIn.OPERATIONS.size());
    studio.taggingConformance.assertConforms(StudioStandIn.TAGGING_OPERATIONS);
  }

  @TestFactory
  Stream<DynamicTest> everyRequestBotocoresModelRefusesIsRefused() {
    Map<String, String> sagemaker = Map.ofEntries(
        Map.entry("ListDomains", "{}"),
        Map.entry("DescribeDomain", "{\"DomainId\": \"d-test\"}"),
        Map.entry("ListUserProfiles", "{}"),
        Map.entry("DescribeUserProfile", "{\"DomainId\": \"d-test\", \"UserProfileName\": \"alice\"}"),
        Map.entry("ListSpaces", "{}"),
        Map.entry("DescribeSpace", "{\"DomainId\": \"d-test\", \"SpaceName\": \"shared-space\"}"),
        Map.entry("CreateSpace", "{\"DomainId\": \"d-test\", \"SpaceName\": \"probe\"}"),
        Map.entry("DeleteSpace", "{\"DomainId\": \"d-test\", \"SpaceName\": \"probe\"}"),
        Map.entry("ListApps", "{}"),
        Map.entry("DescribeApp", "{\"DomainId\": \"d-test\", \"UserProfileName\": \"alice\","
            + " \"AppType\": \"KernelGateway\", \"AppName\": \"a1\"}"),
        Map.entry("CreateApp", "{\"DomainId\": \"d-test\", \"UserProfileName\": \"bob\","
            + " \"AppType\": \"KernelGateway\", \"AppName\": \"probe\"}"),
        Map.entry("DeleteApp", "{\"DomainId\": \"d-test\", \"UserProfileName\": \"alice\","
            + " \"AppType\": \"KernelGateway\", \"AppName\": \"a1\"}"),
        Map.entry("ListTags", "{\"ResourceArn\": \"" + ALICE + "\"}"),
        Map.entry("AddTags", "{\"ResourceArn\": \"" + ALICE + "\", \"Tags\": [{\"Key\": \"k\", \"Value\": \"v\"}]}"),
        Map.entry("DeleteTags", "{\"ResourceArn\": \"" + ALICE + "\", \"TagKeys\": [\"k\"]}"),
        Map.entry("CreatePresignedDomainUrl", "{\"DomainId\": \"d-test\", \"UserProfileName\": \"alice\"}"),
        Map.entry("StartSession", "{\"ResourceIdentifier\": \"" + ARN_PREFIX + "space/d-test/none\"}"));
    Map<String, String> tagging = Map.of(
        "GetResources", "{}",
        "TagResources", "{\"ResourceARNList\": [\"" + ALICE + "\"], \"Tags\": {\"k\": \"v\"}}",
        "UntagResources", "{\"ResourceARNList\": [\"" + ALICE + "\"], \"TagKeys\": [\"k\"]}");
    assertEquals(List.copyOf(StudioStandIn.OPERATIONS).stream().sorted().toList(),
        sagemaker.keySet().stream().sorted().toList(), "a valid request for every operation");
    List<DynamicTest> tests = new ArrayList<>();
    tests.addAll(probes(Botocore.model("sagemaker"), sagemaker, studio.standIn.endpoint(), "SageMaker."));
    tests.addAll(probes(Botocore.model("resourcegroupstaggingapi"), tagging, studio.standIn.taggingEndpoint(),
        "ResourceGroupsTaggingAPI_20170126."));
    assertTrue(tests.size() > 150, "probes: " + tests.size());
    return tests.stream();
  }

  private List<DynamicTest> probes(ServiceModel model, Map<String, String> valid, String endpoint, String prefix) {
    ShapeChecker botocore = new ShapeChecker(model);
    List<DynamicTest> tests = new ArrayList<>();
    valid.forEach((operation, body) -> {
      ObjectNode request = parse(body);
      String input = model.operation(operation).orElseThrow().input();
      assertTrue(botocore.check(input, request, ShapeChecker.Scope.REQUEST).isEmpty(), operation + " " + body);
      for (Probe probe : ModelProbes.of(model, operation, request)) {
        tests.add(dynamicTest(operation + " " + probe.description(), () -> {
          assertFalse(botocore.check(input, probe.body(), ShapeChecker.Scope.REQUEST).isEmpty(),
              "botocore's model refuses " + probe.body());
          RawCall.Answer answer = RawCall.post(endpoint, prefix + operation, probe.body());
          assertEquals(400, answer.status(), answer.body().toString());
          assertEquals(probe.error(), answer.errorType(), answer.message());
          assertTrue(answer.message().contains(probe.member()), probe.member() + " named in: " + answer.message());
        }));
      }
    });
    return tests;
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

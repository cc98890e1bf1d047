package io.studiocp.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's SageMaker rights for Studio sessions, as CloudFormation resolves them for a deployment
 * with two domains: presigned URLs only for the user profiles of those domains, spaces and apps only
 * by their ARNs in those domains, remote-access sessions only on those domains' spaces, the account
 * and region pinned, and nothing else of SageMaker's mutating actions.
 */
class StudioPermissionsTest {

  private static final String DOMAINS = "d-aaa111,d-bbb222";
  private static final Map<String, String> REFS = Map.of("StudioDomainIds", DOMAINS,
      "AWS::AccountId", "123456789012", "AWS::Region", "eu-west-1", "AWS::Partition", "aws");
  private static Map<String, JsonNode> statements;

  @BeforeAll
  static void read() throws Exception {
    statements = new TreeMap<>();
    Repository.template().at("/Resources/ApiFunction/Properties/Policies/0/Statement")
        .forEach(s -> statements.put(s.path("Sid").asText(), s));
  }

  @Test
  void presignedUrlsOnlyForTheManagedDomainsProfiles() {
    JsonNode statement = statements.get("OpenStudioOnlyForProfilesOfManagedDomains");
    assertEquals(List.of("sagemaker:CreatePresignedDomainUrl"), actions(statement));
    assertEquals(List.of("arn:*:sagemaker:*:*:user-profile/d-aaa111/*", "arn:*:sagemaker:*:*:user-profile/d-bbb222/*"),
        resolveList(statement.get("Resource")));
    assertPinned(statement);
  }

  @Test
  void spacesAndAppsOnlyByArnInTheManagedDomains() {
    JsonNode spaces = statements.get("ManageSpacesOnlyInManagedDomains");
    assertEquals(List.of("sagemaker:DescribeSpace", "sagemaker:CreateSpace", "sagemaker:DeleteSpace"), actions(spaces));
    assertEquals(List.of("arn:*:sagemaker:*:*:space/d-aaa111/*", "arn:*:sagemaker:*:*:space/d-bbb222/*"),
        resolveList(spaces.get("Resource")));
    assertPinned(spaces);
    JsonNode apps = statements.get("DeleteAppsOnlyInManagedDomains");
    assertEquals(List.of("sagemaker:DeleteApp"), actions(apps));
    assertEquals(List.of("arn:*:sagemaker:*:*:app/d-aaa111/*", "arn:*:sagemaker:*:*:app/d-bbb222/*"),
        resolveList(apps.get("Resource")));
    assertPinned(apps);
  }

  @Test
  void remoteSessionsOnlyOnSpacesOfTheManagedDomains() {
    JsonNode statement = statements.get("StartRemoteSessionsOnlyOnSpacesOfManagedDomains");
    assertEquals(List.of("sagemaker:StartSession"), actions(statement));
    assertEquals(List.of("arn:*:sagemaker:*:*:space/d-aaa111/*", "arn:*:sagemaker:*:*:space/d-bbb222/*"),
        resolveList(statement.get("Resource")));
    assertPinned(statement);
    long elsewhere = statements.values().stream().filter(s -> s != statement)
        .filter(s -> actions(s).contains("sagemaker:StartSession")).count();
    assertEquals(0, elsewhere, "StartSession is granted by this statement alone");
  }

  @Test
  void onlyListingIsUnscoped() {
    List<String> unscoped = new ArrayList<>();
    statements.values().forEach(s -> {
      if (s.path("Resource").isTextual() && s.path("Resource").asText().equals("*")) {
        actions(s).stream().filter(a -> a.startsWith("sagemaker:")).forEach(unscoped::add);
      }
    });
    assertEquals(List.of("sagemaker:ListApps", "sagemaker:ListDomains", "sagemaker:ListSpaces", "sagemaker:ListUserProfiles"),
        unscoped.stream().sorted().toList());
  }

  private static void assertPinned(JsonNode statement) {
    JsonNode equals = statement.at("/Condition/StringEquals");
    assertEquals("123456789012", resolve(equals.get("aws:ResourceAccount")));
    assertEquals("eu-west-1", resolve(equals.get("aws:RequestedRegion")));
  }

  private static List<String> actions(JsonNode statement) {
    List<String> actions = new ArrayList<>();
    statement.get("Action").forEach(a -> actions.add(a.asText()));
    return actions;
  }

  /** The few intrinsic functions these statements use, as CloudFormation evaluates them. */
  private static List<String> resolveList(JsonNode node) {
    if (node.has("Fn::Split")) {
      JsonNode args = node.get("Fn::Split");
      return Arrays.asList(resolve(args.get(1)).split(java.util.regex.Pattern.quote(args.get(0).asText()), -1));
    }
    List<String> list = new ArrayList<>();
    node.forEach(n -> list.add(resolve(n)));
    return list;
  }

  private static String resolve(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.has("Ref")) {
      String value = REFS.get(node.get("Ref").asText());
      assertTrue(value != null, "unexpected Ref " + node);
      return value;
    }
    if (node.has("Fn::Join")) {
      JsonNode args = node.get("Fn::Join");
      return String.join(args.get(0).asText(), resolveList(args.get(1)));
    }
    if (node.has("Fn::Sub")) {
      JsonNode args = node.get("Fn::Sub");
      String text = args.isArray() ? args.get(0).asText() : args.asText();
      Map<String, String> vars = new TreeMap<>(REFS);
      if (args.isArray()) {
        args.get(1).properties().forEach(e -> vars.put(e.getKey(), resolve(e.getValue())));
      }
      for (var e : vars.entrySet()) {
        text = text.replace("${" + e.getKey() + "}", e.getValue());
      }
      assertTrue(!text.contains("${"), "unresolved in " + text);
      return text;
    }
    throw new AssertionError("not an intrinsic this test knows: " + node);
  }
}

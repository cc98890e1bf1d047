package io.studiocp.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** template.yaml: cfn-lint (with the SAM transform) finds nothing, and its choices hold. */
class TemplateTest {

  private static JsonNode template;

  @BeforeAll
  static void read() throws Exception {
    template = Repository.template();
  }

  @Test
  void cfnLintFindsNothing() throws Exception {
    Repository.Run lint = Repository.run(List.of(Repository.cfnLint(), "template.yaml"));
    assertEquals(0, lint.exitCode(), lint.output());
    assertEquals("", lint.output().strip());
  }

  @Test
  void cfnLintWouldNoticeABrokenTemplate() throws Exception {
    Path broken = Files.createTempFile(Repository.root(), ".broken-template", ".yaml");
    try {
      Files.writeString(broken, Files.readString(Repository.root().resolve("template.yaml"))
          .replace("Runtime: java25", "Runtime: java99"));
      Repository.Run lint = Repository.run(List.of(Repository.cfnLint(), broken.toString()));
      assertNotEquals(0, lint.exitCode(), "cfn-lint must reject an unknown runtime: " + lint.output());
    } finally {
      Files.delete(broken);
    }
  }

  private static Map<String, JsonNode> resources(String type) {
    Map<String, JsonNode> found = new TreeMap<>();
    template.get("Resources").properties().forEach(e -> {
      if (type.equals(e.getValue().path("Type").asText())) {
        found.put(e.getKey(), e.getValue());
      }
    });
    return found;
  }

  @Test
  void functionsRunOnJava25WithSnapStartAnAliasAndTheLayer() {
    JsonNode globals = template.at("/Globals/Function");
    assertEquals("java25", globals.get("Runtime").asText());
    assertEquals("PublishedVersions", globals.at("/SnapStart/ApplyOn").asText());
    assertEquals("live", globals.get("AutoPublishAlias").asText());
    assertEquals("CoreLayer", globals.at("/Layers/0/Ref").asText());
    assertEquals(15, resources("AWS::Serverless::Function").size());
  }

  /**
   * {@code GET /hosts/{hostId}?waitSeconds=20} holds its invocation up to 20 s and one reading
   * more: the API function's timeout leaves room for that, and API Gateway's integration timeout
   * (29 s, which a REST API's default integration keeps) is longer than the longest wait.
   */
  @Test
  void theApiFunctionOutlastsTheLongestLongPoll() {
    JsonNode api = resources("AWS::Serverless::Function").get("ApiFunction");
    JsonNode own = api.at("/Properties/Timeout");
    int timeout = (own.isMissingNode() ? template.at("/Globals/Function/Timeout") : own).asInt();
    assertTrue(timeout >= io.studiocp.hosts.WaitForHost.MAX_SECONDS + 5, "ApiFunction's timeout " + timeout + " s");
    assertTrue(io.studiocp.hosts.WaitForHost.MAX_SECONDS + 5 <= 29, "API Gateway answers 504 after 29 s");
    assertTrue(template.toString().indexOf("TimeoutInMillis") < 0, "no integration timeout shorter than 29 s");
  }

  /**
   * Each function logs under a service name of its own (functions.log and CloudWatch would
   * otherwise say "service_undefined", or one name for all): studiocp- and its logical id in
   * kebab case, set on the function itself, never in Globals.
   */
  @Test
  void everyFunctionHasItsOwnServiceName() {
    assertTrue(template.at("/Globals/Function/Environment/Variables/POWERTOOLS_SERVICE_NAME").isMissingNode());
    List<String> wrong = new ArrayList<>();
    resources("AWS::Serverless::Function").forEach((name, fn) -> {
      String expected = "studiocp-" + name.replaceFirst("Function$", "").replaceAll("([a-z])([A-Z])", "$1-$2")
          .toLowerCase(java.util.Locale.ROOT);
      String actual = fn.at("/Properties/Environment/Variables/POWERTOOLS_SERVICE_NAME").asText("(none)");
      if (!expected.equals(actual)) {
        wrong.add(name + ": " + actual + ", expected " + expected);
      }
    });
    assertEquals(List.of(), wrong);
  }

  @Test
  void theApiUsesIamAuthAndOnlyThisAccount() {
    JsonNode api = template.at("/Resources/StudioApi/Properties");
    assertEquals("AWS_IAM", api.at("/Auth/DefaultAuthorizer").asText());
    assertEquals("AWS::AccountId", api.at("/Auth/ResourcePolicy/AwsAccountWhitelist/0/Ref").asText());
  }

  @Test
  void noPolicyGrantsEveryAction() {
    List<String> wildcards = new ArrayList<>();
    collectActions(template.get("Resources"), "", wildcards);
    assertEquals(List.of(), wildcards);
  }

  private static void collectActions(JsonNode node, String where, List<String> wildcards) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        if (e.getKey().equals("Action") || e.getKey().equals("NotAction")) {
          List<String> actions = new ArrayList<>();
          if (e.getValue().isArray()) {
            e.getValue().forEach(a -> actions.add(a.asText()));
          } else {
            actions.add(e.getValue().asText());
          }
          actions.stream().filter(a -> a.equals("*") || a.endsWith(":*")).forEach(a -> wildcards.add(where + ": " + a));
        }
        collectActions(e.getValue(), where + "/" + e.getKey(), wildcards);
      });
    } else if (node.isArray()) {
      node.forEach(child -> collectActions(child, where, wildcards));
    }
  }

  @Test
  void mutationsOfInstancesAreLimitedToManagedOnes() {
    List<String> unconditioned = new ArrayList<>();
    template.get("Resources").properties().forEach(resource -> {
      resource.getValue().at("/Properties/Policies").forEach(policy -> policy.path("Statement").forEach(statement -> {
        for (JsonNode action : statement.path("Action")) {
          String name = action.asText();
          boolean mutatesInstances = name.equals("ec2:TerminateInstances") || name.equals("ec2:CreateTags")
              || name.equals("ec2:StopInstances")
              || name.equals("ec2:DeleteSecurityGroup") || name.equals("ec2:AuthorizeSecurityGroupIngress");
          if (mutatesInstances && statement.path("Condition").isMissingNode()) {
            unconditioned.add(resource.getKey() + " " + name);
          }
        }
      }));
    });
    assertEquals(List.of(), unconditioned);
  }

  @Test
  void thePoliceRunOnASchedule() {
    JsonNode schedule = template.at("/Resources/PoliceFunction/Properties/Events/Schedule");
    assertEquals("ScheduleV2", schedule.get("Type").asText());
    assertEquals("PoliceSchedule", schedule.at("/Properties/ScheduleExpression/Ref").asText());
    assertEquals("PoliceTimezone", schedule.at("/Properties/ScheduleExpressionTimezone/Ref").asText());
  }

  @Test
  void everyParameterIsConstrained() {
    List<String> loose = new ArrayList<>();
    template.get("Parameters").properties().forEach(p -> {
      JsonNode spec = p.getValue();
      boolean constrained = spec.has("AllowedPattern") || spec.has("AllowedValues") || spec.has("MinValue");
      if (!constrained) {
        loose.add(p.getKey());
      }
    });
    assertEquals(List.of(), loose);
  }

  @Test
  void codeUrisPointAtWhatMavenBuilds() {
    List<String> missing = new ArrayList<>();
    resources("AWS::Serverless::Function").forEach((name, fn) -> {
      Path zip = Repository.root().resolve(fn.at("/Properties/CodeUri").asText());
      if (!Files.isRegularFile(zip)) {
        missing.add(name + " -> " + zip);
      }
    });
    Path layer = Repository.root().resolve(template.at("/Resources/CoreLayer/Properties/ContentUri").asText());
    if (!Files.isRegularFile(layer)) {
      missing.add("CoreLayer -> " + layer);
    }
    assertEquals(List.of(), missing, "run the Maven build first (make build)");
  }

  @Test
  void theStateMachineGetsEverySubstitutionItUses() throws Exception {
    String definition = Files.readString(Repository.root().resolve("statemachine/provision-host.asl.json"));
    Set<String> used = new TreeSet<>();
    Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9]+)}").matcher(definition);
    while (m.find()) {
      used.add(m.group(1));
    }
    Set<String> given = new TreeSet<>();
    template.at("/Resources/ProvisionHostStateMachine/Properties/DefinitionSubstitutions").fieldNames()
        .forEachRemaining(given::add);
    assertEquals(used, given);
    assertFalse(used.isEmpty());
    assertTrue(template.at("/Resources/ProvisionHostStateMachine/Properties/Type").asText().equals("STANDARD"));
  }
}

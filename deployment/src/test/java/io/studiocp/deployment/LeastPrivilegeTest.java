package io.studiocp.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

/**
 * Each role in template.yaml allows exactly what its code calls, on resources as narrow as AWS
 * supports: a missing permission would be an outage in production, an extra one a hole.
 *
 * <p>What a function calls is read from the bytecode that ships ({@link SdkCalls}); what a host
 * calls, from {@code host/bootstrap.sh}. The few facts of IAM the code cannot show are kept here,
 * each with its reason: the permissions an operation needs beyond its own action, which resource
 * types an EC2 mutation only uses rather than changes, and which actions AWS allows only on "*".
 */
class LeastPrivilegeTest {

  /** What an operation needs besides its own action (the Service Authorization Reference's "dependent actions"). */
  private static final Map<String, Set<String>> ALSO_NEEDS = Map.of(
      // RunInstances tags the instance, its volume and its network interface as it creates them, and
      // hands the instance the hosts' role.
      "ec2:RunInstances", Set.of("ec2:CreateTags", "iam:PassRole"),
      // CreateSecurityGroup tags the group as it creates it (TagSpecifications).
      "ec2:CreateSecurityGroup", Set.of("ec2:CreateTags"),
      // The tagging API writes tags through each service's own permission; the police tag Studio apps and spaces.
      "tag:TagResources", Set.of("sagemaker:AddTags"),
      // EFS reads and changes the security groups of the mount target's network interface on the caller's behalf.
      "elasticfilesystem:DescribeMountTargetSecurityGroups", Set.of("ec2:DescribeNetworkInterfaceAttribute"),
      "elasticfilesystem:ModifyMountTargetSecurityGroups", Set.of("ec2:ModifyNetworkInterfaceAttribute"),
      // CreateQueue with Tags tags the queue as it creates it (the pool's claim queues are tagged studiocp:managed).
      "sqs:CreateQueue", Set.of("sqs:TagQueue"),
      // CreateActivation tags the activation as it creates it (Tags) and hands SSM the nodes' role.
      "ssm:CreateActivation", Set.of("ssm:AddTagsToResource", "iam:PassRole"));

  /**
   * EC2 mutations only another AWS service makes for a function (a dependent action above): their
   * statement must hold {@code aws:ViaAWSService}, so the function cannot make them itself. The
   * mount target's interface is EFS's, not the product's, so there is no studiocp tag to condition on.
   */
  private static final Set<String> ONLY_VIA_A_SERVICE = Set.of("ec2:ModifyNetworkInterfaceAttribute");

  /**
   * Resource types an EC2 mutation names but does not change: the AMI, the Studio subnet and VPC,
   * and the Studio security groups an instance joins. They are not the product's, so they carry no
   * studiocp tag to condition on; everything the product creates or changes must.
   */
  private static final Map<String, Set<String>> ONLY_USED = Map.of(
      "ec2:RunInstances", Set.of("image", "subnet", "security-group"),
      "ec2:CreateSecurityGroup", Set.of("vpc"));

  /** Actions AWS authorises only on "*" (no resource-level permissions). */
  private static final Set<String> ONLY_ON_EVERYTHING = Set.of(
      "ec2:DescribeInstances", "ec2:DescribeInstanceTypes", "ec2:DescribeInstanceTypeOfferings",
      "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeImages", "ec2:DescribeNetworkInterfaceAttribute",
      "ec2:DescribeNetworkInterfaces",
      "sagemaker:ListUserProfiles", "sagemaker:ListDomains", "sagemaker:ListApps", "sagemaker:ListSpaces",
      "tag:GetResources", "tag:TagResources", "ses:GetAccount",
      "states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat",
      // SSM's hybrid activations have no ARN (CreateActivation is conditioned on its request tag instead);
      // DescribeInstanceInformation lists every node; Session Manager's channels have no ARN either.
      "ssm:CreateActivation", "ssm:AddTagsToResource", "ssm:DescribeActivations", "ssm:DeleteActivation",
      "ssm:DescribeInstanceInformation",
      "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel",
      "ssmmessages:OpenDataChannel");

  /**
   * What an SSM agent needs for Session Manager and nothing else (AWS's "Session Manager
   * permissions for instances"; not AmazonSSMManagedInstanceCore, which adds Run Command, patching,
   * inventory and every parameter): the host role and the SSH nodes' role grant exactly these beside
   * their own calls.
   */
  static final Set<String> SSM_AGENT = Set.of("ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel",
      "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel");

  /** Conditions that tie an EC2 mutation to what the product made. */
  private static final Set<String> TAG_CONDITIONS = Set.of(
      "aws:ResourceTag/studiocp:managed", "aws:RequestTag/studiocp:managed", "ec2:CreateAction");

  private static JsonNode template;

  @BeforeAll
  static void read() throws Exception {
    template = Repository.template();
  }

  /** Every function, by logical id, with its handler class and its zip. */
  private static Map<String, JsonNode> functions() {
    Map<String, JsonNode> functions = new TreeMap<>();
    template.get("Resources").properties().forEach(e -> {
      if ("AWS::Serverless::Function".equals(e.getValue().path("Type").asText())) {
        functions.put(e.getKey(), e.getValue().get("Properties"));
      }
    });
    return functions;
  }

  /** What the code of a function can call, with the actions those calls depend on. */
  private static Map<String, String> needed(JsonNode function) throws Exception {
    Path root = Repository.root();
    SdkCalls calls = SdkCalls.shipped(root.resolve(function.get("CodeUri").asText()),
        root.resolve(template.at("/Resources/CoreLayer/Properties/ContentUri").asText()));
    Map<String, String> needed = new TreeMap<>(calls.operationsOf(function.get("Handler").asText().split("::")[0]));
    if (function.has("FileSystemConfigs")) {
      // Lambda mounts the file system with the function's role before the code runs (read-only: no ClientWrite).
      needed.put("elasticfilesystem:ClientMount", "Lambda, to mount FileSystemConfigs");
    }
    for (String action : List.copyOf(needed.keySet())) {
      for (String dependent : ALSO_NEEDS.getOrDefault(action, Set.of())) {
        needed.putIfAbsent(dependent, "needed by " + action);
      }
    }
    return needed;
  }

  /** The Allow statements of a function's inline policies; a policy template or managed policy fails the test. */
  private static List<JsonNode> statements(String name, JsonNode function) {
    List<JsonNode> statements = new ArrayList<>();
    for (JsonNode policy : function.path("Policies")) {
      assertTrue(policy.has("Statement"), name + ": only inline policy documents can be checked here, got " + policy);
      policy.get("Statement").forEach(statement -> {
        assertEquals("Allow", statement.path("Effect").asText(), name + ": " + statement);
        statements.add(statement);
      });
    }
    return statements;
  }

  private static List<String> values(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(v -> values.add(v.isTextual() ? v.asText() : v.toString()));
    } else if (!node.isMissingNode()) {
      values.add(node.isTextual() ? node.asText() : node.toString());
    }
    return values;
  }

  /** A resource's type from its ARN pattern ({@code ...:instance/*} is "instance"), or "*". */
  private static String resourceType(JsonNode resource) {
    String arn = resource.isTextual() ? resource.asText() : resource.path("Fn::Sub").asText(resource.toString());
    if (arn.equals("*")) {
      return "*";
    }
    Matcher m = Pattern.compile(":([a-z-]+)/[^:]*$").matcher(arn);
    return m.find() ? m.group(1) : arn;
  }

  @Test
  void everyFunctionIsAllowedExactlyWhatItsCodeCalls() throws Exception {
    List<String> differences = new ArrayList<>();
    for (var function : functions().entrySet()) {
      Map<String, String> needed = needed(function.getValue());
      System.out.println(function.getKey() + " calls " + needed);
      Set<String> granted = new TreeSet<>();
      statements(function.getKey(), function.getValue()).forEach(s -> granted.addAll(values(s.path("Action"))));
      needed.forEach((action, caller) -> {
        if (!granted.contains(action)) {
          differences.add(function.getKey() + " lacks " + action + " (called from " + caller + ")");
        }
      });
      granted.stream().filter(action -> !needed.containsKey(action))
          .forEach(action -> differences.add(function.getKey() + " is allowed " + action + ", which its code never calls"));
      assertFalse(needed.isEmpty(), function.getKey() + ": no AWS call found; the walk is broken");
    }
    assertEquals(List.of(), differences);
  }

  @Test
  void theWalkSeesEachFunctionsOwnCalls() throws Exception {
    Map<String, JsonNode> functions = functions();
    // Spot checks that the walk follows handlers, wiring, lambdas, interfaces and paginators, and
    // keeps functions that share a zip apart.
    assertTrue(needed(functions.get("ApiFunction")).containsKey("states:StartExecution"));
    assertTrue(needed(functions.get("ApiFunction")).containsKey("sagemaker:ListUserProfiles"));
    assertTrue(needed(functions.get("LaunchFunction")).containsKey("ec2:RunInstances"));
    assertFalse(needed(functions.get("MarkReadyFunction")).containsKey("ec2:RunInstances"));
    assertFalse(needed(functions.get("PrepareFunction")).containsKey("ec2:TerminateInstances"));
    assertTrue(needed(functions.get("PoliceFunction")).containsKey("tag:GetResources"));
  }

  @Test
  void everyEc2MutationIsConditionedOnTheProductsTags() {
    List<String> loose = new ArrayList<>();
    functions().forEach((name, function) -> statements(name, function).forEach(statement -> {
      Set<String> conditionKeys = new TreeSet<>();
      statement.path("Condition").forEach(operator -> operator.fieldNames().forEachRemaining(conditionKeys::add));
      boolean tagged = conditionKeys.stream().anyMatch(TAG_CONDITIONS::contains);
      for (String action : values(statement.path("Action"))) {
        if (!action.startsWith("ec2:") || action.matches("ec2:(Describe|Get|List).*")) {
          continue;
        }
        if (ONLY_VIA_A_SERVICE.contains(action)) {
          if (!statement.at("/Condition/Bool/aws:ViaAWSService").asText().equals("true")) {
            loose.add(name + " " + statement.path("Sid").asText() + ": " + action + " without aws:ViaAWSService");
          }
          continue;
        }
        for (JsonNode resource : statement.path("Resource").isArray() ? statement.get("Resource")
            : List.of(statement.path("Resource"))) {
          String type = resourceType(resource);
          boolean onlyUsed = ONLY_USED.getOrDefault(action, Set.of()).contains(type);
          if (!tagged && !onlyUsed) {
            loose.add(name + " " + statement.path("Sid").asText() + ": " + action + " on " + type
                + " without a studiocp tag condition");
          }
        }
      }
    }));
    assertEquals(List.of(), loose);
  }

  @Test
  void onlyActionsWithoutResourceLevelPermissionsAreGrantedOnEverything() {
    List<String> wide = new ArrayList<>();
    List<JsonNode> all = new ArrayList<>();
    functions().forEach((name, function) -> all.addAll(statements(name, function)));
    template.at("/Resources/HostRole/Properties/Policies").forEach(p -> p.at("/PolicyDocument/Statement").forEach(all::add));
    template.at("/Resources/SshManagedNodeRole/Properties/Policies")
        .forEach(p -> p.at("/PolicyDocument/Statement").forEach(all::add));
    template.at("/Resources/SshUserPolicy/Properties/PolicyDocument/Statement").forEach(all::add);
    for (JsonNode statement : all) {
      if (values(statement.path("Resource")).contains("*")) {
        values(statement.path("Action")).stream().filter(a -> !ONLY_ON_EVERYTHING.contains(a))
            .forEach(a -> wide.add(statement.path("Sid").asText() + ": " + a + " on *"));
      }
    }
    assertEquals(List.of(), wide);
  }

  /**
   * The AWS calls bootstrap.sh makes through its signed {@code aws_call}: Step Functions by their
   * X-Amz-Target values (through a variable or literal), EC2 by their Query API {@code Action}.
   */
  static Set<String> hostCalls(String bootstrap) {
    Set<String> calls = new TreeSet<>();
    Matcher services = Pattern.compile("--aws-sigv4 \"aws:amz:[^:]*:([a-z0-9-]+)\"").matcher(bootstrap);
    while (services.find()) {
      assertTrue(Set.of("states", "sqs").contains(services.group(1)),
          "bootstrap.sh signs a call to another service than Step Functions and SQS: " + services.group(1));
    }
    // A pool host's calls to its queue: sqs_call ACTION.
    Matcher sqs = Pattern.compile("(?m)^[^#\\n]*\\bsqs_call (\\w+)").matcher(bootstrap);
    while (sqs.find()) {
      calls.add("sqs:" + sqs.group(1));
    }
    Matcher ec2 = Pattern.compile("aws_call ec2 [^\\n]*--data-urlencode Action=(\\w+)").matcher(bootstrap);
    while (ec2.find()) {
      calls.add("ec2:" + ec2.group(1));
    }
    Matcher signed = Pattern.compile("(?m)^[^#\\n]*\\baws_call (\\S+)").matcher(bootstrap);
    while (signed.find()) {
      assertTrue(Set.of("states", "ec2").contains(signed.group(1)),
          "bootstrap.sh signs a call to " + signed.group(1) + ": teach this test what it calls");
    }
    Matcher targets = Pattern.compile("X-Amz-Target: AWSStepFunctions\\.(\\$\\w+|\\w+)").matcher(bootstrap);
    while (targets.find()) {
      String target = targets.group(1);
      if (target.startsWith("$")) {
        Matcher assigned = Pattern.compile("\\b" + target.substring(1) + "=(\\w+)").matcher(bootstrap);
        while (assigned.find()) {
          calls.add("states:" + assigned.group(1));
        }
      } else {
        calls.add("states:" + target);
      }
    }
    assertFalse(Pattern.compile("(?m)^[^#\\n]*\\baws [a-z0-9-]+ [a-z-]+").matcher(bootstrap).find(),
        "bootstrap.sh calls the AWS CLI: teach this test what it calls");
    return calls;
  }

  @Test
  void theHostRoleCanOnlyReportToItsWorkflowAndTagItsOwnActivity() throws Exception {
    Set<String> called = hostCalls(Files.readString(Repository.root().resolve("host/bootstrap.sh")));
    assertEquals(Set.of("states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat", "ec2:CreateTags",
        "sqs:ReceiveMessage", "sqs:DeleteMessage"), called);

    JsonNode role = template.at("/Resources/HostRole/Properties");
    assertTrue(role.path("ManagedPolicyArns").isMissingNode() || role.path("ManagedPolicyArns").isEmpty(),
        "the host role must carry no managed policy (each grants far more than the callback): "
            + role.path("ManagedPolicyArns"));
    assertTrue(role.path("PermissionsBoundary").isMissingNode());
    Set<String> granted = new TreeSet<>();
    role.path("Policies").forEach(p -> p.at("/PolicyDocument/Statement").forEach(s -> {
      assertEquals("Allow", s.path("Effect").asText());
      granted.addAll(values(s.path("Action")));
    }));
    Set<String> expected = new TreeSet<>(called);
    expected.addAll(SSM_AGENT);
    assertEquals(expected, granted, "the host role must allow exactly the calls bootstrap.sh makes and the SSM agent's");
    // The agent's: reporting on EC2 instances only; the channels on "*" (they have no ARN).
    role.path("Policies").forEach(p -> p.at("/PolicyDocument/Statement").forEach(s -> {
      List<String> actions = values(s.path("Action"));
      if (actions.contains("ssm:UpdateInstanceInformation")) {
        assertEquals(List.of("ssm:UpdateInstanceInformation"), actions, s.toString());
        assertEquals("instance", resourceType(s.path("Resource")), s.toString());
      }
      if (actions.stream().anyMatch(a -> a.startsWith("ssmmessages:"))) {
        assertTrue(actions.stream().allMatch(a -> a.startsWith("ssmmessages:")), s.toString());
      }
    }));
    // Its one tag: on its own instance only, and only the activity key.
    role.path("Policies").forEach(p -> p.at("/PolicyDocument/Statement").forEach(s -> {
      if (values(s.path("Action")).contains("ec2:CreateTags")) {
        assertEquals(List.of("ec2:CreateTags"), values(s.path("Action")), s.toString());
        assertEquals("${ec2:SourceInstanceARN}", s.at("/Condition/StringEquals/aws:ARN").asText(), s.toString());
        assertEquals(List.of("studiocp:last-active"), values(s.at("/Condition/ForAllValues:StringEquals/aws:TagKeys")),
            s.toString());
      }
    }));
    assertEquals("ec2.amazonaws.com",
        template.at("/Resources/HostRole/Properties/AssumeRolePolicyDocument/Statement/0/Principal/Service").asText());
  }

  @Test
  void theHostCallsAreReadFromTheScript() {
    assertEquals(Set.of("states:SendTaskSuccess", "states:SendTaskFailure"), hostCalls("""
        case "$a" in x) target=SendTaskSuccess ;; *) target=SendTaskFailure ;; esac
        curl --aws-sigv4 "aws:amz:$R:states" -H "X-Amz-Target: AWSStepFunctions.$target"
        """));
    assertEquals(Set.of("states:StopExecution"), hostCalls("curl -H \"X-Amz-Target: AWSStepFunctions.StopExecution\""));
    assertEquals(Set.of("ec2:CreateTags"), hostCalls("aws_call ec2 \"$E\" --data-urlencode Action=CreateTags --data-urlencode x=y"));
    assertEquals(Set.of("sqs:ReceiveMessage"), hostCalls("response=$(sqs_call ReceiveMessage \"{}\")"));
    assertThrows(AssertionError.class, () -> hostCalls("aws_call s3 \"$E\" -X PUT"));
  }

  @Test
  void theStateMachineMayInvokeExactlyTheFunctionsItsDefinitionNames() throws Exception {
    String definition = Files.readString(Repository.root().resolve("statemachine/provision-host.asl.json"));
    Set<String> named = new TreeSet<>();
    Matcher m = Pattern.compile("\\$\\{(\\w+)FunctionArn}").matcher(definition);
    while (m.find()) {
      named.add(m.group(1) + "Function");
    }
    Set<String> invokable = new TreeSet<>();
    template.at("/Resources/ProvisionHostStateMachine/Properties/Policies").forEach(policy -> {
      assertTrue(policy.has("LambdaInvokePolicy"), "the state machine's role takes only LambdaInvokePolicy: " + policy);
      invokable.add(policy.at("/LambdaInvokePolicy/FunctionName/Ref").asText());
    });
    assertFalse(named.isEmpty());
    assertEquals(named, invokable);
  }

  @Test
  void theSshNodeRoleIsOnlyWhatTheAgentNeedsForSessions() {
    JsonNode role = template.at("/Resources/SshManagedNodeRole/Properties");
    assertTrue(role.path("ManagedPolicyArns").isMissingNode(), "no managed policy: " + role.path("ManagedPolicyArns"));
    JsonNode trust = role.at("/AssumeRolePolicyDocument/Statement/0");
    assertEquals("ssm.amazonaws.com", trust.at("/Principal/Service").asText());
    assertFalse(trust.at("/Condition/StringEquals/aws:SourceAccount").isMissingNode(),
        "SSM may assume it for this account only (confused deputy): " + trust);
    Set<String> granted = new TreeSet<>();
    role.path("Policies").forEach(p -> p.at("/PolicyDocument/Statement").forEach(s -> {
      granted.addAll(values(s.path("Action")));
      if (values(s.path("Action")).contains("ssm:UpdateInstanceInformation")) {
        assertEquals("managed-instance", resourceType(s.path("Resource")), s.toString());
      }
    }));
    assertEquals(new TreeSet<>(SSM_AGENT), granted);
  }
}

package io.studiocp.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The managed policy shipped for users' SSH sessions ({@code SshUserPolicy}): {@code ssm:StartSession}
 * only on managed nodes and instances whose {@code studiocp:owner} tag is the caller's own principal
 * tag, only through {@code AWS-StartSSHSession}, never on a wildcard without that condition; ending
 * and resuming only the caller's own sessions; nothing else.
 */
class SshUserPolicyTest {

  static final String OWNER_KEY = "studiocp:owner";
  private static final Set<String> ACTIONS = Set.of("ssm:StartSession", "ssm:TerminateSession", "ssm:ResumeSession");

  private static JsonNode document;

  @BeforeAll
  static void read() throws Exception {
    document = Repository.template().at("/Resources/SshUserPolicy/Properties/PolicyDocument");
  }

  @Test
  void theShippedPolicyHasNoProblem() {
    assertTrue(document.path("Statement").size() >= 2, document.toString());
    assertEquals(List.of(), problems(document));
  }

  @Test
  void theCheckFindsEveryLooseVariant() {
    assertProblem(mutate(d -> ((ObjectNode) d.at("/Statement/0")).put("Resource", "*")), "StartSession on *");
    assertProblem(mutate(d -> ((ObjectNode) d.at("/Statement/0")).remove("Condition")), "without");
    assertProblem(mutate(d -> ((ObjectNode) d.at("/Statement/0/Condition/StringEquals"))
        .put("ssm:resourceTag/" + OWNER_KEY, "alice")), "caller's principal tag");
    assertProblem(mutate(d -> ((ObjectNode) d.at("/Statement/0/Condition")).remove("Null")), "Null");
    assertProblem(mutate(d -> ((ObjectNode) d.at("/Statement/1"))
        .put("Resource", "arn:aws:ssm:us-east-1::document/*")), "document");
    assertProblem(mutate(d -> ((ObjectNode) d.at("/Statement/1"))
        .put("Resource", "arn:aws:ssm:us-east-1::document/AWS-StartInteractiveCommand")), "document");
    assertProblem(mutate(d -> ((ArrayNode) d.get("Statement")).addObject().put("Effect", "Allow")
        .put("Action", "ssm:*").put("Resource", "*")), "ssm:*");
    assertProblem(mutate(d -> ((ArrayNode) d.get("Statement")).addObject().put("Effect", "Allow")
        .put("Action", "ssm:TerminateSession").put("Resource", "arn:aws:ssm:us-east-1:1:session/*")), "own sessions");
  }

  private static JsonNode mutate(java.util.function.Consumer<JsonNode> change) {
    JsonNode copy = document.deepCopy();
    change.accept(copy);
    return copy;
  }

  private static void assertProblem(JsonNode changed, String expected) {
    List<String> found = problems(changed);
    assertTrue(found.stream().anyMatch(p -> p.contains(expected)), "expected a problem with '" + expected + "' in "
        + found + " for " + changed);
  }

  /** What is wrong with a users' SSH policy document, one line each. */
  static List<String> problems(JsonNode document) {
    List<String> problems = new ArrayList<>();
    for (JsonNode s : document.path("Statement")) {
      if (!"Allow".equals(s.path("Effect").asText())) {
        continue;
      }
      List<String> actions = values(s.path("Action"));
      for (String action : actions) {
        if (!ACTIONS.contains(action)) {
          problems.add(action + ": not an SSH session action");
        }
      }
      List<String> resources = values(s.path("Resource"));
      if (actions.contains("ssm:StartSession")) {
        for (String resource : resources) {
          if (resource.equals("*")) {
            problems.add("StartSession on *");
          } else if (resource.contains(":document/")) {
            if (!resource.endsWith(":document/AWS-StartSSHSession")) {
              problems.add("StartSession with a document other than AWS-StartSSHSession: " + resource);
            }
          } else if (resource.contains(":managed-instance/") || resource.contains(":instance/")) {
            String tag = s.at("/Condition/StringEquals/ssm:resourceTag~1" + OWNER_KEY).asText(null);
            if (tag == null) {
              problems.add("StartSession on " + resource + " without a ssm:resourceTag/" + OWNER_KEY + " condition");
            } else if (!tag.equals("${aws:PrincipalTag/" + OWNER_KEY + "}")) {
              problems.add("StartSession's owner condition is not the caller's principal tag: " + tag);
            }
            if (!"false".equals(s.at("/Condition/Null/aws:PrincipalTag~1" + OWNER_KEY).asText())) {
              problems.add("StartSession without a Null condition requiring the caller's " + OWNER_KEY + " tag");
            }
          } else {
            problems.add("StartSession on an unexpected resource " + resource);
          }
        }
      }
      if (actions.contains("ssm:TerminateSession") || actions.contains("ssm:ResumeSession")) {
        for (String resource : resources) {
          if (!resource.endsWith(":session/${aws:userid}-*")) {
            problems.add("Terminate/ResumeSession beyond the caller's own sessions: " + resource);
          }
        }
      }
    }
    return problems;
  }

  /** A value or list, with {@code Fn::Sub} strings read as their text (escaped {@code ${!x}} as {@code ${x}}). */
  private static List<String> values(JsonNode node) {
    List<String> values = new ArrayList<>();
    List<JsonNode> items = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(items::add);
    } else if (!node.isMissingNode()) {
      items.add(node);
    }
    for (JsonNode item : items) {
      String text = item.isTextual() ? item.asText() : item.path("Fn::Sub").asText(new ObjectMapper().valueToTree(item)
          .toString());
      values.add(text.replace("${!", "${"));
    }
    return values;
  }
}

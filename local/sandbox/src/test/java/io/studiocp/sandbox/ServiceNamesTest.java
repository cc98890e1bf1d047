package io.studiocp.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.studiocp.platform.lambda.FunctionLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The sandbox names each function's service as template.yaml does, so functions.log reads like CloudWatch. */
class ServiceNamesTest {

  private static Path root() {
    Path path = Path.of(System.getProperty("studiocp.root", "")).toAbsolutePath();
    while (path != null && !Files.exists(path.resolve("template.yaml"))) {
      path = path.getParent();
    }
    return path;
  }

  /** Each function's POWERTOOLS_SERVICE_NAME in template.yaml, read line by line (resources are two spaces in). */
  static Map<String, String> templateNames(String template) {
    Map<String, String> names = new TreeMap<>();
    String resource = null;
    Matcher line = Pattern.compile("(?m)^(  ([A-Za-z0-9]+):$|\\s+POWERTOOLS_SERVICE_NAME: (\\S+)$)").matcher(template);
    while (line.find()) {
      if (line.group(2) != null) {
        resource = line.group(2);
      } else {
        names.put(resource, line.group(3));
      }
    }
    return names;
  }

  @Test
  void theSandboxNamesEveryFunctionAsTheTemplateDoes() throws Exception {
    String text = Files.readString(root().resolve("template.yaml"));
    Map<String, String> template = templateNames(text);
    long functions = Pattern.compile("(?m)^    Type: AWS::Serverless::Function$").matcher(text).results().count();
    assertEquals(functions, template.size(), "every function in template.yaml names its service: " + template);
    assertEquals(template, new TreeMap<>(ServiceNames.BY_FUNCTION));
  }

  @Test
  void eachFunctionGetsItsOwnName() {
    assertEquals("studiocp-mark-ready", ServiceNames.env(Map.of("A", "1"), "MarkReadyFunction")
        .optional(FunctionLog.SERVICE_NAME).orElseThrow());
    assertEquals("1", ServiceNames.env(Map.of("A", "1"), "ApiFunction").optional("A").orElseThrow());
    assertThrows(IllegalArgumentException.class, () -> ServiceNames.env(Map.of(), "NewFunction"));
  }
}

package io.studiocp.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The zips `mvn package` makes are what Lambda expects, so deploying needs no `sam build`. */
class ArtifactsTest {

  private static final Pattern SERVICE = Pattern.compile("software/amazon/awssdk/services/([a-z0-9]+)/");

  private static List<String> entries(Path zip) throws IOException {
    try (ZipFile file = new ZipFile(zip.toFile())) {
      return Collections.list(file.entries()).stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).toList();
    }
  }

  @Test
  void theLayerHoldsJarsUnderJavaLib() throws Exception {
    List<String> entries = entries(Repository.root().resolve("layers/core/target/core-layer.zip"));
    List<String> elsewhere = entries.stream().filter(e -> !e.matches("java/lib/[^/]+\\.jar")).toList();
    assertEquals(List.of(), elsewhere, "only java/lib/*.jar");
    for (String needed : List.of("studiocp-core-", "ec2-", "efs-", "sagemaker-", "sfn-", "ssm-",
        "resourcegroupstaggingapi-", "url-connection-client-", "jackson-databind-",
        "powertools-logging-log4j-", "aws-lambda-java-core-")) {
      assertTrue(entries.stream().anyMatch(e -> e.startsWith("java/lib/" + needed)), "layer lacks " + needed);
    }
    for (String unwanted : List.of("apache-client-", "netty-nio-client-")) {
      assertTrue(entries.stream().noneMatch(e -> e.startsWith("java/lib/" + unwanted)),
          "the layer must not carry " + unwanted + " (the URL-connection client is enough)");
    }
    assertTrue(entries.stream().noneMatch(e -> e.startsWith("java/lib/sesv2-")),
        "SES is called through AwsJsonClient: the layer carries no SES SDK module");
  }

  @ParameterizedTest
  @ValueSource(strings = {"api", "provision", "host-events", "police", "cleanup", "admin"})
  void aFunctionZipHoldsOnlyItsOwnClasses(String function) throws Exception {
    List<String> entries = entries(Repository.root().resolve("functions/" + function + "/target/" + function + "-function.zip"));
    assertTrue(!entries.isEmpty());
    List<String> foreign = entries.stream().filter(e -> !e.startsWith("io/studiocp/functions/")).toList();
    assertEquals(List.of(), foreign, "libraries and the core come from the layer");
  }

  @Test
  void everyHandlerInTheTemplateIsInItsZip() throws Exception {
    JsonNode template = Repository.template();
    List<String> missing = new ArrayList<>();
    template.get("Resources").properties().forEach(e -> {
      if (!"AWS::Serverless::Function".equals(e.getValue().path("Type").asText())) {
        return;
      }
      JsonNode properties = e.getValue().get("Properties");
      String handlerClass = properties.get("Handler").asText().split("::")[0].replace('.', '/') + ".class";
      try {
        if (!entries(Repository.root().resolve(properties.get("CodeUri").asText())).contains(handlerClass)) {
          missing.add(e.getKey() + ": " + handlerClass);
        }
      } catch (IOException io) {
        missing.add(e.getKey() + ": " + io.getMessage());
      }
    });
    assertEquals(List.of(), missing);
  }

  @ParameterizedTest
  @ValueSource(strings = {"api", "provision", "host-events", "police", "cleanup", "admin"})
  void aFunctionDeclaresExactlyTheAwsServicesItCalls(String function) throws Exception {
    Set<String> called = new TreeSet<>();
    Path zip = Repository.root().resolve("functions/" + function + "/target/" + function + "-function.zip");
    try (ZipFile file = new ZipFile(zip.toFile())) {
      for (ZipEntry entry : Collections.list(file.entries())) {
        if (entry.getName().endsWith(".class")) {
          Matcher m = SERVICE.matcher(new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1));
          while (m.find()) {
            called.add(m.group(1));
          }
        }
      }
    }
    String pom = Files.readString(Repository.root().resolve("functions/" + function + "/pom.xml"));
    Set<String> declared = new TreeSet<>();
    Matcher dependency = Pattern.compile("<dependency>\\s*<groupId>software\\.amazon\\.awssdk</groupId>\\s*"
        + "<artifactId>([a-z0-9-]+)</artifactId>\\s*<scope>provided</scope>").matcher(pom);
    while (dependency.find()) {
      declared.add(dependency.group(1));
    }
    assertTrue(!called.isEmpty());
    assertEquals(called, declared, function + " should depend on the SDK modules it calls, and only those");
  }
}

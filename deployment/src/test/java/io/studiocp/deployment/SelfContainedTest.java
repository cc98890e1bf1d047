package io.studiocp.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A clone is self-contained: nothing points outside the repository, and the docs' links resolve. */
class SelfContainedTest {

  /** What once pointed outside: the workspace's shared folder and its design document (spelled so this file does not match). */
  private static final List<String> OUTSIDE = List.of("../" + "shared", "design" + ".md");

  private static List<String> trackedFiles() throws Exception {
    Repository.Run files = Repository.run(List.of("git", "ls-files"));
    assertEquals(0, files.exitCode(), files.output());
    return files.output().lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void noFileRefersToAnythingOutsideTheRepository() throws Exception {
    List<String> found = new ArrayList<>();
    for (String file : trackedFiles()) {
      Path path = Repository.root().resolve(file);
      if (!Files.isRegularFile(path) || Files.size(path) > 2_000_000) {
        continue;
      }
      String text;
      try {
        text = Files.readString(path).toLowerCase(Locale.ROOT);
      } catch (MalformedInputException binary) {
        continue;
      }
      for (String outside : OUTSIDE) {
        if (text.contains(outside)) {
          found.add(file + ": " + outside);
        }
      }
    }
    assertEquals(List.of(), found);
  }

  @Test
  void theDocsLinksResolve() throws Exception {
    List<String> broken = new ArrayList<>();
    List<String> documents = trackedFiles().stream()
        .filter(f -> f.equals("README.md") || (f.startsWith("docs/") && f.endsWith(".md"))).toList();
    assertTrue(documents.containsAll(List.of("README.md", "docs/architecture.md", "docs/decisions.md",
        "docs/threat-model.md")), documents.toString());
    Pattern link = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
    for (String document : documents) {
      Path path = Repository.root().resolve(document);
      Matcher m = link.matcher(Files.readString(path));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("[a-z]+:.*")) {
          continue; // a URL
        }
        Path resolved = path.getParent().resolve(target).normalize();
        if (!resolved.startsWith(Repository.root()) || !Files.exists(resolved)) {
          broken.add(document + " -> " + target);
        }
      }
    }
    assertEquals(List.of(), broken);
  }
}

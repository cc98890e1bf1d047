package io.studiocp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's structure, read from its sources: the domain packages know nothing of AWS (neither
 * the SDK nor the Lambda and API Gateway types), packages do not import each other in circles,
 * and host state is written by the fleet alone.
 */
class ArchitectureTest {

  /** Any use of a type of another package: an import, or a qualified name in the code. */
  private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.studiocp(?:\\.[a-z][a-z0-9]*)+)\\.[A-Z]");
  private static final Pattern SDK = Pattern.compile("\\b(software\\.amazon\\.awssdk|com\\.amazonaws)\\.");

  private static final Map<String, List<Source>> byPackage = new TreeMap<>();

  private record Source(Path path, String pkg, String text) {
    String name() {
      return path.getFileName().toString();
    }
  }

  @BeforeAll
  static void read() throws IOException {
    Path root = Path.of("src/main/java");
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
        String pkg = root.relativize(f.getParent()).toString().replace('/', '.');
        byPackage.computeIfAbsent(pkg, p -> new ArrayList<>()).add(new Source(f, pkg, text(f)));
      });
    }
    assertTrue(byPackage.containsKey("io.studiocp.hosts"), "reads the core's sources: " + byPackage.keySet());
  }

  private static String text(Path file) {
    try {
      // Comments may name anything; only code counts.
      return Files.readString(file).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The capabilities' own packages: everything but the adapters and the platform under them. */
  private static boolean isDomain(String pkg) {
    return !pkg.startsWith("io.studiocp.platform") && !pkg.endsWith(".aws") && !pkg.contains(".aws.");
  }

  private static Set<String> referencedPackages(Source source) {
    Set<String> packages = new TreeSet<>();
    Matcher m = REFERENCE.matcher(source.text());
    while (m.find()) {
      packages.add(m.group(1));
    }
    packages.remove(source.pkg());
    return packages;
  }

  @Test
  void domainPackagesKnowNoAwsAdapterAndNoSdk() {
    List<String> offending = new ArrayList<>();
    byPackage.forEach((pkg, sources) -> {
      if (!isDomain(pkg)) {
        return;
      }
      for (Source source : sources) {
        referencedPackages(source).stream().filter(p -> p.endsWith(".aws") || p.contains(".aws."))
            .forEach(p -> offending.add(source.path() + " -> " + p));
        if (SDK.matcher(source.text()).find()) {
          offending.add(source.path() + " -> the AWS SDK");
        }
      }
    });
    assertEquals(List.of(), offending);
  }

  @Test
  void hostsDoNotReachIntoProvisioning() {
    List<String> offending = new ArrayList<>();
    for (Source source : byPackage.get("io.studiocp.hosts")) {
      if (referencedPackages(source).contains("io.studiocp.hosts.provisioning")) {
        offending.add(source.name());
      }
    }
    assertEquals(List.of(), offending, "provisioning builds on hosts, never the other way");
  }

  @Test
  void packagesImportEachOtherInOneDirectionOnly() {
    Map<String, Set<String>> edges = new TreeMap<>();
    byPackage.forEach((pkg, sources) -> sources.forEach(s ->
        edges.computeIfAbsent(pkg, p -> new TreeSet<>()).addAll(referencedPackages(s).stream()
            .filter(byPackage::containsKey).toList())));
    List<String> circles = new ArrayList<>();
    for (String start : edges.keySet()) {
      findCircle(start, start, edges, new ArrayList<>(List.of(start)), new TreeSet<>(), circles);
    }
    assertEquals(List.of(), circles);
  }

  private static void findCircle(String start, String at, Map<String, Set<String>> edges, List<String> path,
      Set<String> seen, List<String> circles) {
    for (String next : edges.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        circles.add(String.join(" -> ", path) + " -> " + start);
      } else if (seen.add(next) && next.compareTo(start) > 0) {
        path.add(next);
        findCircle(start, next, edges, path, seen, circles);
        path.removeLast();
      }
    }
  }

  @Test
  void hostStateIsWrittenByTheFleetAlone() {
    Set<String> allowed = Set.of("HostTags.java", "HostInstance.java", "HostFleet.java");
    List<String> offending = new ArrayList<>();
    byPackage.forEach((pkg, sources) -> sources.stream()
        .filter(s -> !pkg.endsWith(".aws") && !allowed.contains(s.name()))
        .filter(s -> s.text().contains("HostTags."))
        .forEach(s -> offending.add(s.path().toString())));
    assertEquals(List.of(), offending, "only the fleet writes host tags (HostInstance reads them)");
  }
}

package io.studiocp.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes what a sandbox left on this machine, found from its slot alone (so it works when the
 * sandbox died without a word): every process carrying its directory (moto, the instances'
 * bootstraps, dockerds, containerds, shims, and their containers), the mounts under its
 * directory, the network interfaces holding an address in its Docker networks, the empty cgroups
 * of its containers, and the directory itself. Instances use the same pieces when they stop.
 */
final class Reaper {

  /** What was found and removed. */
  record Report(List<String> processes, int mounts, List<String> interfaces, int instances) {

    boolean empty() {
      return processes.isEmpty() && mounts == 0 && interfaces.isEmpty() && instances == 0;
    }

    @Override
    public String toString() {
      List<String> parts = new ArrayList<>();
      if (!processes.isEmpty()) {
        Map<String, Integer> names = new TreeMap<>();
        processes.forEach(n -> names.merge(n, 1, Integer::sum));
        parts.add(processes.size() + (processes.size() == 1 ? " process (" : " processes (")
            + String.join(", ", names.entrySet().stream()
                .map(e -> e.getValue() == 1 ? e.getKey() : e.getKey() + " x" + e.getValue()).toList()) + ")");
      }
      if (mounts > 0) {
        parts.add(mounts + (mounts == 1 ? " mount" : " mounts"));
      }
      if (!interfaces.isEmpty()) {
        parts.add(interfaces.size() + (interfaces.size() == 1 ? " network interface (" : " network interfaces (")
            + String.join(", ", interfaces) + ")");
      }
      if (instances > 0) {
        parts.add(instances + (instances == 1 ? " instance disk" : " instance disks"));
      }
      return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }
  }

  private static final Pattern INET = Pattern.compile("^\\d+:\\s+(\\S+?)(?:@\\S+)?\\s+inet\\s+(\\d+\\.\\d+\\.\\d+\\.\\d+)/");

  private Reaper() {}

  /** Removes everything of this slot's sandbox, sparing the given processes (a living sandbox, its keeper). */
  static Report reap(SandboxSlot slot, Set<Long> spared) {
    List<String> killed = new ArrayList<>();
    // A bootstrap may start a process while its siblings stop: look again until nothing is left.
    for (int round = 0; round < 3; round++) {
      List<ProcessTable.Proc> found = ProcessTable.read().carrying(slot.marker(), spared);
      if (found.isEmpty()) {
        break;
      }
      found.forEach(p -> killed.add(p.commandLine().contains("moto.server") ? "moto" : p.name()));
      ProcessTable.stop(found, Duration.ofSeconds(5));
    }
    int instances = 0;
    List<String> containers = new ArrayList<>();
    if (Files.isDirectory(slot.dir())) {
      try (Stream<Path> entries = Files.list(slot.dir())) {
        for (Path entry : entries.filter(p -> p.getFileName().toString().startsWith("i-")).toList()) {
          instances++;
          containers.addAll(containerIds(entry));
        }
      } catch (IOException e) {
        Sandbox.log("could not list " + slot.dir() + ": " + e.getMessage());
      }
    }
    int mounts = unmountUnder(slot.dir());
    List<String> interfaces = deleteInterfacesIn(slot.hostNetworks());
    containers.forEach(Reaper::removeContainerCgroups);
    deleteTree(slot.dir());
    return new Report(killed, mounts, interfaces, instances);
  }

  /** The ids of the containers an instance's dockerd knew (their cgroups are named after them). */
  static List<String> containerIds(Path instanceRoot) {
    Path containers = instanceRoot.resolve("var/lib/docker/containers");
    if (!Files.isDirectory(containers)) {
      return List.of();
    }
    try (Stream<Path> ids = Files.list(containers)) {
      return ids.map(p -> p.getFileName().toString()).filter(id -> id.matches("[0-9a-f]{64}")).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** A killed dockerd leaves its containers' (empty) cgroups behind; runc would have removed them. */
  static void removeContainerCgroups(String containerId) {
    Path root = Path.of("/sys/fs/cgroup");
    List<Path> hierarchies = new ArrayList<>(List.of(root));
    try (DirectoryStream<Path> controllers = Files.newDirectoryStream(root, Files::isDirectory)) {
      controllers.forEach(hierarchies::add);
    } catch (IOException e) {
      return;
    }
    for (Path hierarchy : hierarchies) {
      try {
        Files.deleteIfExists(hierarchy.resolve("docker").resolve(containerId));
      } catch (IOException e) {
        // not empty (still in use) or not ours to remove: leave it
      }
    }
  }

  /** Unmounts everything mounted under this directory, deepest first; returns how many. */
  static int unmountUnder(Path root) {
    String prefix = root.toString() + "/";
    try {
      List<String> points = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .map(line -> line.split(" ")[4])
          .filter(point -> point.startsWith(prefix) || point.equals(root.toString()))
          .sorted(Comparator.reverseOrder())
          .toList();
      for (String point : points) {
        run("umount", "-l", point);
      }
      return points.size();
    } catch (IOException e) {
      Sandbox.log("could not read mounts: " + e.getMessage());
      return 0;
    }
  }

  /**
   * Deletes the network interfaces with an IPv4 address in this range: the bridges of Docker
   * networks outlive their dockerd (they are in this machine's network namespace, where an EC2
   * instance would have its own), and the range is the sandbox's alone.
   */
  static List<String> deleteInterfacesIn(String cidr) {
    List<String> deleted = new ArrayList<>();
    for (String line : output("ip", "-o", "-4", "addr", "show")) {
      Matcher m = INET.matcher(line);
      if (m.find() && contains(cidr, m.group(2)) && !deleted.contains(m.group(1))) {
        run("ip", "link", "delete", m.group(1));
        deleted.add(m.group(1));
      }
    }
    return deleted;
  }

  static boolean contains(String cidr, String address) {
    String[] parts = cidr.split("/");
    int bits = Integer.parseInt(parts[1]);
    int mask = bits == 0 ? 0 : -1 << (32 - bits);
    return (ipv4(parts[0]) & mask) == (ipv4(address) & mask);
  }

  static int ipv4(String address) {
    int value = 0;
    for (String octet : address.split("\\.")) {
      value = (value << 8) | Integer.parseInt(octet);
    }
    return value;
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      Sandbox.log("could not delete all of " + root + ": " + e.getMessage());
    }
  }

  private static void run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      Sandbox.log("could not run " + command[0] + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<String> output(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String text = new String(process.getInputStream().readAllBytes());
      process.waitFor(10, TimeUnit.SECONDS);
      return text.lines().toList();
    } catch (IOException e) {
      Sandbox.log("could not run " + command[0] + ": " + e.getMessage());
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }
}

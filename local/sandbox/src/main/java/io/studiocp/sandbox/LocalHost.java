package io.studiocp.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One EC2 instance, played on this machine: its user data (host/bootstrap.sh as Launch rendered
 * it) runs under bash with the local stand-ins, and starts a dockerd of its own (vfs storage, no
 * iptables, its own data root, exec root and socket) listening with TLS on the instance's loopback
 * address. Everything it starts is found again by its root directory and stopped by PID.
 */
final class LocalHost implements AutoCloseable {

  /** dockerd options that let several daemons share one machine without touching its network. */
  private static final Pattern BRIDGE_NAME =
      Pattern.compile("\\\\?\"BridgeName\\\\?\":\\\\?\"(br-[0-9a-f]{12})");

  static final String DOCKERD_ARGS = "--storage-driver vfs --iptables=false --ip-masq=false --bridge=none";

  private final String instanceId;
  private final String address;
  private final Path root;
  private final MetadataService metadata;
  private Process bootstrap;

  LocalHost(String instanceId, String address, String zone, Path root) {
    this.instanceId = instanceId;
    this.address = address;
    this.root = root;
    this.metadata = new MetadataService(instanceId, address, zone);
  }

  String address() {
    return address;
  }

  Path root() {
    return root;
  }

  /** Boots the instance: runs its user data, as cloud-init would at every boot. */
  void boot(String userData) {
    try {
      Files.createDirectories(root);
      Path script = root.resolve("user-data.sh");
      Files.writeString(script, userData);
      ProcessBuilder builder = new ProcessBuilder("bash", script.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("console.log").toFile()));
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SDOCKER_") || k.startsWith("DOCKER_"));
      env.put("SDOCKER_LOCAL_ROOT", root.toString());
      env.put("SDOCKER_LOCAL_IMDS", metadata.endpoint());
      env.put("SDOCKER_LOCAL_SERVICE_MODE", "direct");
      env.put("SDOCKER_LOCAL_MOUNT_MODE", "none");
      env.put("SDOCKER_LOCAL_LISTEN", address);
      env.put("SDOCKER_LOCAL_DOCKERD_ARGS", DOCKERD_ARGS + " --ip " + address);
      bootstrap = builder.start();
      Sandbox.log("instance " + instanceId + " boots at " + address + " (console: " + root.resolve("console.log") + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot boot " + instanceId, e);
    }
  }

  /**
   * Stops everything the instance started, as a shutdown would: dockerd first (it stops its
   * containers and its containerd), then whatever is left under the instance's root, by PID.
   */
  synchronized void shutDown() {
    if (bootstrap != null && bootstrap.isAlive()) {
      bootstrap.descendants().forEach(ProcessHandle::destroy);
      bootstrap.destroy();
    }
    dockerd().ifPresent(d -> stop(List.of(d), 10));
    stop(processesUnder(root), 5);
    deleteBridges();
  }

  /**
   * The bridge interfaces of the instance's Docker networks outlive its dockerd (they are in this
   * machine's network namespace, where an EC2 instance would have its own); without this, Docker
   * runs out of address pools after a few dozen hosts. Their names are in dockerd's network store.
   */
  private void deleteBridges() {
    Path store = root.resolve("var/lib/docker/network/files/local-kv.db");
    if (!Files.exists(store)) {
      return;
    }
    try {
      String text = new String(Files.readAllBytes(store), StandardCharsets.ISO_8859_1);
      Matcher m = BRIDGE_NAME.matcher(text);
      Set<String> bridges = new TreeSet<>();
      while (m.find()) {
        bridges.add(m.group(1));
      }
      for (String bridge : bridges) {
        if (Files.exists(Path.of("/sys/class/net", bridge))) {
          new ProcessBuilder("ip", "link", "delete", bridge).redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (IOException e) {
      Sandbox.log("could not remove the bridges of " + instanceId + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Optional<ProcessHandle> dockerd() {
    try {
      Path pidFile = root.resolve("run/docker.pid");
      return Files.exists(pidFile) ? ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()))
          : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void stop(List<ProcessHandle> processes, int seconds) {
    processes.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (ProcessHandle process : processes) {
      try {
        process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
  }

  /** The processes whose command line names the instance's root (its dockerd, containerd, shims). */
  static List<ProcessHandle> processesUnder(Path root) {
    String marker = root.toString();
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.filter(p -> p.pid() != ProcessHandle.current().pid())
          .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
          .toList();
    }
  }

  /** Deletes the instance's disk, as EC2 deletes a terminated instance's volume. */
  synchronized void deleteDisk() {
    unmountUnder(root);
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      Sandbox.log("could not delete all of " + root + ": " + e.getMessage());
    }
  }

  private static void unmountUnder(Path root) {
    try {
      List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .map(line -> line.split(" ")[4])
          .filter(point -> point.startsWith(root.toString()))
          .sorted(Comparator.reverseOrder())
          .toList();
      for (String point : mounts) {
        new ProcessBuilder("umount", "-l", point).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      Sandbox.log("could not read mounts: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    shutDown();
    metadata.close();
  }
}

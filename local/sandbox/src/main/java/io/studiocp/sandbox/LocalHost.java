package io.studiocp.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One EC2 instance, played on this machine: its user data (host/bootstrap.sh as Launch rendered
 * it) runs under bash with the local stand-ins, and starts a dockerd of its own (vfs storage, no
 * iptables, its own data root, exec root, socket and configuration file) listening with TLS on
 * the instance's loopback address, its Docker networks cut from the instance's own range.
 * Everything it starts carries the sandbox's marker and is found again by its root directory and
 * stopped by PID.
 */
final class LocalHost implements AutoCloseable {

  /** dockerd options that let several daemons share one machine without touching its network. */
  static final String DOCKERD_ARGS = "--storage-driver vfs --iptables=false --ip-masq=false --bridge=none";

  /** The size of each Docker network an instance creates, cut from its own /24. */
  private static final int NETWORK_BITS = 27;

  private final String instanceId;
  private final String address;
  private final String networkPool;
  private final Path root;
  private final Map<String, String> marker;
  private final BaseImage baseImage;
  private final MetadataService metadata;
  private final Map<String, String> settings;
  private Process bootstrap;

  LocalHost(String instanceId, String address, String networkPool, String zone, Path root,
      Map<String, String> marker, BaseImage baseImage, Map<String, String> settings) {
    this.settings = Map.copyOf(settings);
    this.instanceId = instanceId;
    this.address = address;
    this.networkPool = networkPool;
    this.root = root;
    this.marker = marker;
    this.baseImage = baseImage;
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
      if (baseImage != null) {
        baseImage.installInto(root.resolve("var/lib/docker"));
      }
      // Its own (empty) daemon.json: the machine's /etc/docker/daemon.json is for the machine's dockerd.
      Path config = root.resolve("etc/docker/daemon.json");
      Files.createDirectories(config.getParent());
      if (!Files.exists(config)) {
        Files.writeString(config, "{}\n");
      }
      Path script = root.resolve("user-data.sh");
      Files.writeString(script, userData);
      ProcessBuilder builder = new ProcessBuilder("bash", script.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("console.log").toFile()));
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SDOCKER_") || k.startsWith("DOCKER_"));
      env.putAll(marker);
      env.putAll(settings);
      env.put("SDOCKER_LOCAL_ROOT", root.toString());
      env.put("SDOCKER_LOCAL_IMDS", metadata.endpoint());
      env.put("SDOCKER_LOCAL_SERVICE_MODE", "direct");
      env.put("SDOCKER_LOCAL_MOUNT_MODE", "none");
      env.put("SDOCKER_LOCAL_LISTEN", address);
      env.put("SDOCKER_LOCAL_DOCKERD_ARGS", DOCKERD_ARGS + " --ip " + address
          + " --default-address-pool base=" + networkPool + ",size=" + NETWORK_BITS + " --config-file " + config);
      bootstrap = builder.start();
      Sandbox.log("instance " + instanceId + " boots at " + address + " (console: " + root.resolve("console.log") + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot boot " + instanceId, e);
    }
  }

  /**
   * Stops everything the instance started, as a shutdown would: dockerd first (it stops its
   * containers and its containerd), then whatever is left under the instance's root, by PID, then
   * the bridges of its Docker networks, which outlive their dockerd (they are in this machine's
   * network namespace, where an EC2 instance would have its own; without this, Docker runs out of
   * address pools after a few dozen hosts).
   */
  synchronized void shutDown() {
    if (bootstrap != null && bootstrap.isAlive()) {
      bootstrap.descendants().forEach(ProcessHandle::destroy);
      bootstrap.destroy();
    }
    dockerd().ifPresent(d -> ProcessTable.stop(List.of(d), Duration.ofSeconds(10)));
    ProcessTable.stop(ProcessTable.read().naming(root.toString(), Set.of()), Duration.ofSeconds(5));
    Reaper.deleteInterfacesIn(networkPool);
  }

  private Optional<ProcessTable.Proc> dockerd() {
    try {
      Path pidFile = root.resolve("run/docker.pid");
      return Files.exists(pidFile)
          ? Optional.of(new ProcessTable.Proc(Long.parseLong(Files.readString(pidFile).strip()), 0, "dockerd", ""))
          : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Deletes the instance's disk, as EC2 deletes a terminated instance's volume. */
  synchronized void deleteDisk() {
    List<String> containers = Reaper.containerIds(root);
    Reaper.unmountUnder(root);
    containers.forEach(Reaper::removeContainerCgroups);
    Reaper.deleteTree(root);
  }

  @Override
  public synchronized void close() {
    shutDown();
    metadata.close();
  }
}

package io.studiocp.sandbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Plays the EC2 instances the control plane launches: when a managed instance starts running it
 * boots (its user data runs), when it stops its processes stop, and when it is terminated its disk
 * goes. Each instance listens on its private IP, which the sandbox's VPCs put in its slot's
 * loopback range, and keeps a Docker network range (from the slot) for life, as an EC2 instance
 * keeps its private IP across stop and start, and gives it back when it is terminated.
 */
final class HostRunner implements InstanceWatcher.Listener, AutoCloseable {

  private final Ec2Client ec2;
  private final SandboxSlot slot;
  private final Map<String, String> marker;
  private final BaseImage baseImage;
  private final Map<String, LocalHost> hosts = new ConcurrentHashMap<>();
  private final Map<String, Integer> indexes = new ConcurrentHashMap<>();
  private final Map<String, Boolean> booted = new ConcurrentHashMap<>();
  private final BitSet taken = new BitSet(SandboxSlot.INSTANCES);

  private final Map<String, String> hostSettings;

  /** @param hostSettings what the sandbox sets for every host's boot besides its own stand-ins */
  HostRunner(Ec2Client ec2, SandboxSlot slot, Map<String, String> hostSettings) {
    this.ec2 = ec2;
    this.slot = slot;
    this.hostSettings = Map.copyOf(hostSettings);
    this.marker = Map.of(SandboxSlot.MARKER, slot.dir().toString());
    this.baseImage = new BaseImage(slot.dir().resolve("base-image"), marker);
  }

  @Override
  public void changed(Instance instance, String previousState, String state) {
    boolean managed = instance.tags().stream()
        .anyMatch(t -> t.key().equals("studiocp:managed") && t.value().equals("true"));
    if (!managed) {
      return;
    }
    String id = instance.instanceId();
    switch (state) {
      case "running" -> {
        if (booted.putIfAbsent(id, true) == null) {
          host(instance).boot(userData(id));
        }
      }
      case "stopping", "stopped", "shutting-down" -> stop(id);
      case "terminated" -> {
        stop(id);
        LocalHost host = hosts.remove(id);
        if (host != null) {
          host.deleteDisk();
          host.close();
          release(id);
        }
      }
      default -> { }
    }
  }

  private void stop(String id) {
    LocalHost host = hosts.get(id);
    if (host != null && booted.remove(id) != null) {
      host.shutDown();
      Sandbox.log("instance " + id + " stopped its processes");
    }
  }

  private LocalHost host(Instance instance) {
    return hosts.computeIfAbsent(instance.instanceId(), id -> {
      String address = instance.privateIpAddress();
      if (address == null || !Reaper.contains(slot.hostAddresses(), address)) {
        throw new IllegalStateException("instance " + id + " cannot boot: its private IP " + address + " is not in this "
            + "sandbox's loopback range " + slot.hostAddresses() + " (was it launched into a subnet of the seed?)");
      }
      int index = claimIndex(id);
      return new LocalHost(id, address, slot.hostNetworkPool(index),
          instance.placement().availabilityZone(), slot.dir().resolve(id), marker, baseImage, hostSettings);
    });
  }

  private synchronized int claimIndex(String instanceId) {
    int index = taken.nextClearBit(0);
    if (index >= SandboxSlot.INSTANCES) {
      throw new IllegalStateException("instance " + instanceId + " cannot boot: this sandbox already plays "
          + SandboxSlot.INSTANCES + " instances (terminate some)");
    }
    taken.set(index);
    indexes.put(instanceId, index);
    return index;
  }

  private synchronized void release(String instanceId) {
    Integer index = indexes.remove(instanceId);
    if (index != null) {
      taken.clear(index);
    }
  }

  private String userData(String instanceId) {
    String encoded = ec2.describeInstanceAttribute(r -> r.instanceId(instanceId).attribute("userData"))
        .userData().value();
    return encoded == null ? "" : io.studiocp.hosts.aws.UserData.decode(encoded);
  }

  /** The loopback address of a booted instance (tests use it to find the instance's dockerd). */
  String addressOf(String instanceId) {
    LocalHost host = hosts.get(instanceId);
    return host == null ? null : host.address();
  }

  Path rootOf(String instanceId) {
    LocalHost host = hosts.get(instanceId);
    return host == null ? null : host.root();
  }

  /** Shuts every instance down at once (each may wait seconds for its dockerd). */
  @Override
  public void close() {
    try (ExecutorService shutdowns = Executors.newVirtualThreadPerTaskExecutor()) {
      hosts.values().forEach(host -> shutdowns.submit(() -> {
        host.close();
        host.deleteDisk();
      }));
    }
    hosts.clear();
    baseImage.close();
  }
}

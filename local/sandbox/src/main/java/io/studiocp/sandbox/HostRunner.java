package io.studiocp.sandbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Plays the EC2 instances the control plane launches: when a managed instance starts running it
 * boots (its user data runs), when it stops its processes stop, and when it is terminated its disk
 * goes. Each instance keeps its own loopback address for life, as an EC2 instance keeps its
 * private IP across stop and start.
 */
final class HostRunner implements InstanceWatcher.Listener, AutoCloseable {

  private final Ec2Client ec2;
  private final Path runtimeRoot;
  private final Map<String, LocalHost> hosts = new ConcurrentHashMap<>();
  private final Map<String, Boolean> booted = new ConcurrentHashMap<>();
  private final AtomicInteger nextAddress = new AtomicInteger();

  HostRunner(Ec2Client ec2, Path runtimeRoot) {
    this.ec2 = ec2;
    this.runtimeRoot = runtimeRoot;
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
      int n = nextAddress.getAndIncrement();
      String address = "127.100." + (n / 250) + "." + (n % 250 + 2);
      return new LocalHost(id, address, instance.placement().availabilityZone(), runtimeRoot.resolve(id));
    });
  }

  private String userData(String instanceId) {
    String encoded = ec2.describeInstanceAttribute(r -> r.instanceId(instanceId).attribute("userData"))
        .userData().value();
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
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

  @Override
  public void close() {
    hosts.values().forEach(host -> {
      host.close();
      host.deleteDisk();
    });
    hosts.clear();
  }
}

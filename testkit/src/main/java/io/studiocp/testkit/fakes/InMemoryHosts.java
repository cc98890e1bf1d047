package io.studiocp.testkit.fakes;

import io.studiocp.hosts.HostCommands;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.Hosts;
import io.studiocp.hosts.TaskTokens;
import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.hosts.provisioning.HostLauncher;
import io.studiocp.hosts.provisioning.LaunchSpec;
import io.studiocp.studio.StudioUser;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * EC2 as the host ports see it, in memory: instances with their EC2 state and tags, read by tag
 * and changed by id like the EC2 adapter does, with every call recorded (what a test counts when
 * it checks that a sweep is a few calls, not one per host). Each call is one step under the fake's
 * lock: a use case makes independent calls side by side (a pool host's adoption, say).
 */
public final class InMemoryHosts implements Hosts, HostCommands, TaskTokens, HostLauncher {

  /** One call the ports received: the operation (EC2's name for it), the instances, and the tags it set. */
  public record Call(String operation, List<String> instanceIds, Map<String, String> tags) {}

  private static final class Instance {
    final String id;
    final String instanceType;
    final String subnetId;
    final Instant launchTime;
    final long sequence;
    final Map<String, String> tags = new LinkedHashMap<>();
    String state;
    String userData = "";
    String clientToken = "";
    List<String> securityGroups = List.of();
    boolean terminateOnShutdown;

    Instance(String id, String instanceType, String subnetId, Instant launchTime, long sequence) {
      this.id = id;
      this.instanceType = instanceType;
      this.subnetId = subnetId;
      this.launchTime = launchTime;
      this.sequence = sequence;
    }
  }

  private final Clock clock;
  private final Map<String, Instance> instances = new LinkedHashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private long launched;

  public InMemoryHosts(Clock clock) {
    this.clock = clock;
  }

  // ---- setting the scene ---------------------------------------------------------------------

  /** An instance that exists already (launched now, by the clock), in the given EC2 state. */
  public synchronized String add(String instanceType, String subnetId, String ec2State, Map<String, String> tags) {
    Instance instance = create(instanceType, subnetId, tags);
    instance.state = ec2State;
    return instance.id;
  }

  /** EC2 moved an instance on its own (it stopped, it died, someone started it). */
  public synchronized void setState(String instanceId, String ec2State) {
    require(instanceId).state = ec2State;
  }

  /** Every call so far, oldest first. */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** How many calls of one operation ({@code CreateTags}, {@code TerminateInstances}, {@code StopInstances}, {@code RunInstances}). */
  public synchronized long count(String operation) {
    return calls.stream().filter(c -> c.operation().equals(operation)).count();
  }

  public synchronized void forgetCalls() {
    calls.clear();
  }

  /** An instance's tags now. */
  public synchronized Map<String, String> tagsOf(String instanceId) {
    return Map.copyOf(require(instanceId).tags);
  }

  public synchronized String stateOf(String instanceId) {
    return require(instanceId).state;
  }

  // ---- Hosts ---------------------------------------------------------------------------------

  @Override
  public synchronized List<HostInstance> ownedBy(StudioUser owner) {
    return managed(i -> owner.owner().equals(i.tags.get(HostTags.OWNER)));
  }

  @Override
  public synchronized List<HostInstance> all() {
    return managed(i -> true);
  }

  @Override
  public synchronized List<HostInstance> instancesOf(HostId id) {
    return managed(i -> id.value().equals(i.tags.get(HostTags.HOST_ID)));
  }

  @Override
  public synchronized List<HostInstance> pooled() {
    return instances.values().stream()
        .filter(i -> i.tags.containsKey(HostTags.POOL) && HostTags.POOLED.equals(i.tags.get(HostTags.STATE)))
        .filter(i -> i.state.equals("pending") || i.state.equals("running"))
        .map(InMemoryHosts::view)
        .toList();
  }

  /** The instance's security groups now. */
  public synchronized List<String> securityGroupsOf(String instanceId) {
    return require(instanceId).securityGroups;
  }

  /** Whether a shutdown from inside terminates the instance (as launched). */
  public synchronized boolean terminatesOnShutdown(String instanceId) {
    return require(instanceId).terminateOnShutdown;
  }

  /** The instance's user data (its boot script). */
  public synchronized String userDataOf(String instanceId) {
    return require(instanceId).userData;
  }

  @Override
  public synchronized Optional<HostInstance> instance(String instanceId) {
    return Optional.ofNullable(instances.get(instanceId)).map(InMemoryHosts::view);
  }

  private List<HostInstance> managed(Predicate<Instance> filter) {
    return instances.values().stream()
        .filter(i -> "true".equals(i.tags.get(HostTags.MANAGED)))
        .filter(filter)
        .sorted(Comparator.comparing((Instance i) -> i.launchTime).thenComparingLong(i -> i.sequence).reversed())
        .map(InMemoryHosts::view)
        .toList();
  }

  private static HostInstance view(Instance i) {
    return new HostInstance(i.id, i.state, i.instanceType, i.subnetId, "ip-" + i.id + ".ec2.internal",
        "10.0.0." + (Math.abs(i.id.hashCode()) % 250 + 4), i.launchTime,
        i.tags);
  }

  // ---- HostCommands --------------------------------------------------------------------------

  @Override
  public synchronized void tag(List<String> instanceIds, Map<String, String> tags) {
    if (instanceIds.isEmpty()) {
      return;
    }
    calls.add(new Call("CreateTags", List.copyOf(instanceIds), Map.copyOf(tags)));
    instanceIds.forEach(id -> require(id).tags.putAll(tags));
  }

  @Override
  public synchronized void untag(List<String> instanceIds, Collection<String> keys) {
    if (instanceIds.isEmpty() || keys.isEmpty()) {
      return;
    }
    calls.add(new Call("DeleteTags", List.copyOf(instanceIds), Map.of()));
    instanceIds.forEach(id -> require(id).tags.keySet().removeAll(keys));
  }

  @Override
  public synchronized void replaceSecurityGroups(String instanceId, List<String> groupIds) {
    calls.add(new Call("ModifyInstanceAttribute", List.of(instanceId), Map.of()));
    require(instanceId).securityGroups = List.copyOf(groupIds);
  }

  @Override
  public synchronized void stopOnShutdown(String instanceId) {
    calls.add(new Call("ModifyInstanceAttribute", List.of(instanceId), Map.of()));
    require(instanceId).terminateOnShutdown = false;
  }

  @Override
  public synchronized void terminate(List<String> instanceIds) {
    if (instanceIds.isEmpty()) {
      return;
    }
    calls.add(new Call("TerminateInstances", List.copyOf(instanceIds), Map.of()));
    instanceIds.stream().map(instances::get).filter(i -> i != null).forEach(i -> i.state = "terminated");
  }

  @Override
  public synchronized void stop(List<String> instanceIds) {
    if (instanceIds.isEmpty()) {
      return;
    }
    calls.add(new Call("StopInstances", List.copyOf(instanceIds), Map.of()));
    instanceIds.forEach(id -> {
      Instance instance = require(id);
      if (!instance.state.equals("terminated") && !instance.state.equals("shutting-down")) {
        instance.state = "stopped";
      }
    });
  }

  @Override
  public synchronized void start(List<String> instanceIds) {
    if (instanceIds.isEmpty()) {
      return;
    }
    calls.add(new Call("StartInstances", List.copyOf(instanceIds), Map.of()));
    instanceIds.forEach(id -> {
      Instance instance = require(id);
      if (!instance.state.equals("stopped")) {
        throw new IllegalStateException("IncorrectInstanceState: " + id + " is " + instance.state);
      }
      instance.state = "pending";
    });
  }

  @Override
  public synchronized Optional<String> bootScript(String instanceId) {
    Instance instance = instances.get(instanceId);
    return instance == null || instance.userData.isEmpty() ? Optional.empty() : Optional.of(instance.userData);
  }

  @Override
  public synchronized void replaceBootScript(String instanceId, String script) {
    Instance instance = require(instanceId);
    if (!instance.state.equals("stopped")) {
      throw new IllegalStateException("IncorrectInstanceState: user data of " + instanceId + " changes only when "
          + "it is stopped, it is " + instance.state);
    }
    calls.add(new Call("ModifyInstanceAttribute", List.of(instanceId), Map.of()));
    instance.userData = script;
  }

  // ---- HostLauncher and TaskTokens -----------------------------------------------------------

  /** Runs the instance as EC2 would: pending, with the spec's tags; the same client token finds the same instance. */
  @Override
  public synchronized String launch(LaunchSpec spec) {
    for (Instance existing : instances.values()) {
      if (spec.clientToken().equals(existing.clientToken)) {
        return existing.id;
      }
    }
    calls.add(new Call("RunInstances", List.of(), spec.tags()));
    Instance instance = create(spec.instanceType(), spec.subnetId(), spec.tags());
    instance.state = "pending";
    instance.userData = spec.userData();
    instance.clientToken = spec.clientToken();
    instance.securityGroups = spec.securityGroupIds();
    instance.terminateOnShutdown = spec.terminateOnShutdown();
    return instance.id;
  }

  @Override
  public synchronized Optional<String> taskTokenOf(String instanceId) {
    Instance instance = instances.get(instanceId);
    return instance == null ? Optional.empty() : BootstrapUserData.taskToken(instance.userData);
  }

  private Instance create(String instanceType, String subnetId, Map<String, String> tags) {
    launched++;
    String id = String.format("i-%017x", launched);
    Instance instance = new Instance(id, instanceType, subnetId, clock.instant(), launched);
    instance.tags.putAll(tags);
    instances.put(id, instance);
    return instance;
  }

  private Instance require(String instanceId) {
    Instance instance = instances.get(instanceId);
    if (instance == null) {
      throw new IllegalArgumentException("no instance " + instanceId + " (InvalidInstanceID.NotFound)");
    }
    return instance;
  }
}

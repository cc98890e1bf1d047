package io.studiocp.testkit.fakes;

import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostNetwork;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The hosts' security groups, in memory: a group per domain and one per host that asked for extra ports. */
public final class InMemoryHostNetwork implements HostNetwork {

  private final Map<String, List<Integer>> groups = new LinkedHashMap<>();

  @Override
  public String ensureHostGroup(String vpcId, String domainId, List<String> studioGroups, int dockerPort) {
    return ensure("studiocp-docker-hosts-" + domainId, List.of(dockerPort));
  }

  @Override
  public String ensureExtraPortsGroup(String vpcId, HostId hostId, List<String> studioGroups, List<Integer> ports) {
    return ensure(name(hostId), ports);
  }

  @Override
  public Optional<String> extraPortsGroup(HostId hostId) {
    return groups.containsKey(name(hostId)) ? Optional.of(name(hostId)) : Optional.empty();
  }

  @Override
  public boolean deleteExtraPortsGroup(HostId hostId) {
    groups.remove(name(hostId));
    return true;
  }

  /** The groups that exist, by name, with the ports each opens. */
  public Map<String, List<Integer>> groups() {
    return Map.copyOf(groups);
  }

  private String ensure(String name, List<Integer> ports) {
    groups.putIfAbsent(name, List.copyOf(ports));
    return name;
  }

  private static String name(HostId hostId) {
    return "studiocp-host-" + hostId.value();
  }
}

package io.studiocp.police;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostInstance;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Docker hosts of one police run: the ready ones of the policed domains as the fleet showed
 * them, and what the police do to them, through the fleet (which keeps every host rule).
 */
final class PolicedHosts {

  private final HostFleet fleet;
  private final Map<String, HostInstance> byHostId = new LinkedHashMap<>();
  private final List<HostInstance> pooled;

  private PolicedHosts(HostFleet fleet, List<HostInstance> ready, List<HostInstance> pooled) {
    this.fleet = fleet;
    this.pooled = List.copyOf(pooled);
    ready.forEach(i -> byHostId.put(i.hostId().orElseThrow().value(), i));
  }

  /** @param domainIds the policed domains; empty for every domain */
  static PolicedHosts read(HostFleet fleet, List<String> domainIds) {
    HostFleet.Census census = fleet.census();
    return new PolicedHosts(fleet, census.ready(domainIds), census.pooled());
  }

  /** The warm pool's hosts waiting for a claim, as the same read found them (nobody's: the admins'). */
  List<HostInstance> pooled() {
    return pooled;
  }

  List<PolicedResource> resources() {
    return byHostId.values().stream()
        .map(i -> new PolicedResource(ResourceKind.HOST, i.hostId().orElseThrow().value(),
            i.hostId().orElseThrow().value(), i.domainId().orElse(""), i.owner(), i.instanceType(),
            i.launchTime(), i.tags(), PolicedResource.Location.host(i.instanceId())))
        .toList();
  }

  /** Stops or terminates a long-running host, as the policy says. */
  void stop(PolicedResource host, PolicePolicy.HostAction action, java.time.Instant at) {
    List<HostInstance> instance = List.of(instanceOf(host));
    switch (action) {
      case STOP -> fleet.stop(instance, "stopped by the police: it ran past the policy's limit after its final notice",
          at);
      case TERMINATE -> fleet.terminate(instance);
      case NONE -> { }
    }
  }

  /** Records the police's marks (reminded, final notice, stopped) on the hosts. */
  void mark(Collection<PolicedResource> hosts, Map<String, String> marks) {
    fleet.setMarks(hosts.stream().map(this::instanceOf).toList(), marks);
  }

  private HostInstance instanceOf(PolicedResource host) {
    HostInstance instance = byHostId.get(host.id());
    if (instance == null) {
      throw new IllegalArgumentException(host.id() + " is not a host of this run");
    }
    return instance;
  }
}

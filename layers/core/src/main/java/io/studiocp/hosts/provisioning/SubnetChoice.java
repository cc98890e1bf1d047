package io.studiocp.hosts.provisioning;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.InstanceTypes;
import io.studiocp.hosts.Subnets;
import io.studiocp.platform.Concurrently;
import io.studiocp.studio.StudioDomain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of a domain's subnets a host goes to: one whose zone offers the instance type and has a
 * mount target of the domain's home file system. Prepare spreads users' hosts over them; the warm
 * pool keeps a domain's pool hosts of one type in one of them.
 */
public final class SubnetChoice {

  private final Subnets subnets;
  private final InstanceTypes instanceTypes;
  private final HostFleet fleet;

  public SubnetChoice(Subnets subnets, InstanceTypes instanceTypes, HostFleet fleet) {
    this.subnets = subnets;
    this.instanceTypes = instanceTypes;
    this.fleet = fleet;
  }

  /**
   * The subnets a host of the type can go to, in the domain's order.
   *
   * @throws ProvisioningException naming the subnets when none can
   */
  public List<String> candidates(StudioDomain domain, String instanceType, Map<String, MountTarget> homeTargets) {
    return candidates(domain, instanceType, homeTargets, subnets.availabilityZones(domain.subnetIds()));
  }

  /**
   * As {@link #candidates(StudioDomain, String, Map)}, with the zones of the domain's subnets already
   * read ({@link Subnets#availabilityZones}). Whether each zone offers the type is asked once per
   * zone, for all zones side by side.
   */
  public List<String> candidates(StudioDomain domain, String instanceType, Map<String, MountTarget> homeTargets,
      Map<String, String> zones) {
    List<String> placed = placed(domain, homeTargets, zones);
    List<String> askedZones = placed.stream().map(zones::get).distinct().toList();
    List<Boolean> offered = Concurrently.map(askedZones, askedZones.size(),
        zone -> instanceTypes.offeredIn(instanceType, zone));
    List<String> candidates = placed.stream()
        .filter(s -> offered.get(askedZones.indexOf(zones.get(s))))
        .toList();
    if (candidates.isEmpty()) {
      throw new ProvisioningException("none of domain " + domain.domainId() + "'s subnets ("
          + String.join(", ", domain.subnetIds()) + ") is in a zone that offers " + instanceType
          + " and has a mount target of " + domain.homeEfsFileSystemId());
    }
    return candidates;
  }

  /** The domain's subnets (of those whose zones are known) in a zone with a mount target of the home. */
  public List<String> placed(StudioDomain domain, Map<String, MountTarget> homeTargets, Map<String, String> zones) {
    return domain.subnetIds().stream()
        .filter(zones::containsKey)
        .filter(s -> homeTargets.containsKey(zones.get(s)))
        .toList();
  }

  /**
   * Spreads hosts: among the candidates, the one with the fewest live hosts (not counting the
   * host's own instances); ties broken by the host id, so a re-run of Prepare picks the same subnet.
   */
  public String leastLoaded(List<String> candidates, HostId hostId) {
    Map<String, Long> load = new HashMap<>();
    for (HostInstance instance : fleet.all()) {
      if (!instance.isGone() && instance.subnetId() != null
          && !instance.hostId().map(hostId::equals).orElse(false)) {
        load.merge(instance.subnetId(), 1L, Long::sum);
      }
    }
    return rotated(candidates, hostId.value()).stream()
        .min(Comparator.comparingLong(s -> load.getOrDefault(s, 0L))).orElseThrow();
  }

  /** The same candidate for the same key every time (a pool's hosts of one type share a subnet). */
  public String stable(List<String> candidates, String key) {
    return rotated(candidates, key).getFirst();
  }

  private static List<String> rotated(List<String> candidates, String key) {
    int offset = Math.floorMod(key.hashCode(), candidates.size());
    List<String> rotated = new ArrayList<>(candidates.subList(offset, candidates.size()));
    rotated.addAll(candidates.subList(0, offset));
    return rotated;
  }
}

package io.studiocp.testkit.fakes;

import io.studiocp.hosts.InstanceTypeInfo;
import io.studiocp.hosts.InstanceTypes;
import io.studiocp.hosts.Subnets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The region's instance types, where each is offered, and the subnets' zones, in memory. */
public final class InMemoryCatalog implements InstanceTypes, Subnets {

  private final Map<String, InstanceTypeInfo> types = new LinkedHashMap<>();
  private final Map<String, Set<String>> zonesByType = new LinkedHashMap<>();
  private final Map<String, String> zoneBySubnet = new LinkedHashMap<>();

  /** A type the region knows, offered in the given zones. */
  public InMemoryCatalog type(InstanceTypeInfo type, String... zones) {
    types.put(type.name(), type);
    zonesByType.put(type.name(), Set.of(zones));
    return this;
  }

  public InMemoryCatalog subnet(String subnetId, String zone) {
    zoneBySubnet.put(subnetId, zone);
    return this;
  }

  @Override
  public Optional<InstanceTypeInfo> describe(String instanceType) {
    return Optional.ofNullable(types.get(instanceType));
  }

  @Override
  public boolean offeredIn(String instanceType, String availabilityZone) {
    return zonesByType.getOrDefault(instanceType, Set.of()).contains(availabilityZone);
  }

  @Override
  public Map<String, String> availabilityZones(Collection<String> subnetIds) {
    Map<String, String> zones = new LinkedHashMap<>();
    subnetIds.stream().filter(zoneBySubnet::containsKey).forEach(s -> zones.put(s, zoneBySubnet.get(s)));
    return zones;
  }
}

package io.studiocp.hosts.provisioning;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostNetwork;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.HostRequest;
import io.studiocp.hosts.InstanceTypeInfo;
import io.studiocp.hosts.InstanceTypes;
import io.studiocp.hosts.StudioPaths;
import io.studiocp.hosts.Subnets;
import io.studiocp.platform.Concurrently;
import io.studiocp.studio.StudioDirectory;
import io.studiocp.studio.StudioDomain;
import io.studiocp.studio.UserProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The workflow's Prepare step: resolves everything a launch needs and makes the network ready
 * (security groups, NFS access to the mount target). Safe to run again: it creates only what is
 * missing.
 */
public final class PrepareLaunch {

  static final String CUSTOM_EFS_ROOT = "/mnt/custom-file-systems/efs/";

  private final StudioDirectory directory;
  private final InstanceTypes instanceTypes;
  private final Subnets subnets;
  private final HostImages images;
  private final FileSystems fileSystems;
  private final HostNetwork network;
  private final HostFleet fleet;
  private final StudioPaths paths;
  private final HostPolicy policy;

  public PrepareLaunch(StudioDirectory directory, InstanceTypes instanceTypes, Subnets subnets,
      HostImages images, FileSystems fileSystems, HostNetwork network, HostFleet fleet, StudioPaths paths,
      HostPolicy policy) {
    this.directory = directory;
    this.instanceTypes = instanceTypes;
    this.subnets = subnets;
    this.images = images;
    this.fileSystems = fileSystems;
    this.network = network;
    this.fleet = fleet;
    this.paths = paths;
    this.policy = policy;
  }

  public LaunchPlan prepare(PrepareInput input) {
    HostRequest request = input.request();
    // Lookups that do not depend on each other run side by side; each failure keeps its own message.
    var domainLookup = Concurrently.start(() -> directory.domain(input.owner().domainId()).orElseThrow(() ->
        new ProvisioningException("domain " + input.owner().domainId() + " no longer exists")));
    var profileLookup = Concurrently.start(() -> directory.userProfile(input.owner()).orElseThrow(() ->
        new ProvisioningException("user profile " + input.owner() + " no longer exists")));
    var typeLookup = Concurrently.start(() -> instanceTypes.describe(request.instanceType()).orElseThrow(() ->
        new ProvisioningException("instance type " + request.instanceType() + " does not exist")));
    var imageLookup = typeLookup.thenApply(images::imageFor);
    StudioDomain domain = Concurrently.join(domainLookup);
    UserProfile profile = Concurrently.join(profileLookup);

    List<String> studioGroups = studioGroups(domain, profile);
    var hostGroupReady = Concurrently.start(() -> network.ensureHostGroup(domain.vpcId(), domain.domainId(),
        studioGroups, policy.dockerPort()));
    var homeTargetsLookup = Concurrently.start(() -> fileSystems.mountTargets(domain.homeEfsFileSystemId()));
    Map<String, MountTarget> homeTargets = Concurrently.join(homeTargetsLookup);
    String subnetId = request.subnetId() != null ? request.subnetId()
        : chooseSubnet(domain, request.instanceType(), homeTargets, input);
    String zone = subnets.availabilityZones(List.of(subnetId)).get(subnetId);
    if (zone == null) {
      throw new ProvisioningException("subnet " + subnetId + " does not exist");
    }
    String hostGroup = Concurrently.join(hostGroupReady);
    var extraPortsReady = request.extraPorts().isEmpty() ? null : Concurrently.start(() ->
        network.ensureExtraPortsGroup(domain.vpcId(), input.hostId(), studioGroups, request.extraPorts()));

    String home = paths.home(input.owner());
    List<NfsMount> mounts = new ArrayList<>();
    MountTarget homeTarget = targetIn(homeTargets, zone, domain.homeEfsFileSystemId());
    fileSystems.allowNfs(homeTarget, domain.vpcId(), domain.domainId(), hostGroup);
    mounts.add(new NfsMount(homeTarget.ipAddress(), "/" + profile.homeEfsUid(), home));
    for (UserProfile.CustomFileSystem custom : profile.customFileSystems()) {
      MountTarget target = targetIn(fileSystems.mountTargets(custom.fileSystemId()), zone,
          custom.fileSystemId());
      fileSystems.allowNfs(target, domain.vpcId(), domain.domainId(), hostGroup);
      mounts.add(new NfsMount(target.ipAddress(), custom.fileSystemPath(),
          CUSTOM_EFS_ROOT + custom.fileSystemId()));
    }
    List<String> groups = new ArrayList<>(List.of(hostGroup));
    if (extraPortsReady != null) {
      groups.add(Concurrently.join(extraPortsReady));
    }

    InstanceTypeInfo type = Concurrently.join(typeLookup);
    HostImage image = Concurrently.join(imageLookup);
    Instant started = Instant.parse(input.startedAt());
    return new LaunchPlan(input.hostId(), input.owner(), input.executionArn(), request.instanceType(),
        type.architecture(), type.nvidiaGpu(), image.imageId(), image.rootDeviceName(), subnetId, zone,
        groups, request.volumeGiB(), policy.dockerPort(), request.extraPorts(),
        started.plus(Duration.ofHours(request.ttlHours())).toString(), profile.homeEfsUid(),
        paths.gid(), home, paths.certDirectory(input.owner(), input.hostId()), mounts, started.toString());
  }

  /**
   * Spreads hosts over the domain's subnets: among those whose zone offers the type and has a
   * mount target, the one with the fewest live hosts; ties broken by the host id, so a re-run of
   * Prepare picks the same subnet.
   */
  private String chooseSubnet(StudioDomain domain, String instanceType,
      Map<String, MountTarget> homeTargets, PrepareInput input) {
    Map<String, String> zones = subnets.availabilityZones(domain.subnetIds());
    List<String> candidates = domain.subnetIds().stream()
        .filter(zones::containsKey)
        .filter(s -> homeTargets.containsKey(zones.get(s)))
        .filter(s -> instanceTypes.offeredIn(instanceType, zones.get(s)))
        .toList();
    if (candidates.isEmpty()) {
      throw new ProvisioningException("none of domain " + domain.domainId() + "'s subnets ("
          + String.join(", ", domain.subnetIds()) + ") is in a zone that offers " + instanceType
          + " and has a mount target of " + domain.homeEfsFileSystemId());
    }
    Map<String, Long> load = new HashMap<>();
    for (HostInstance instance : fleet.all()) {
      if (!instance.isGone() && instance.subnetId() != null
          && !instance.hostId().map(input.hostId()::equals).orElse(false)) {
        load.merge(instance.subnetId(), 1L, Long::sum);
      }
    }
    int offset = Math.floorMod(input.hostId().value().hashCode(), candidates.size());
    List<String> rotated = new ArrayList<>(candidates.subList(offset, candidates.size()));
    rotated.addAll(candidates.subList(0, offset));
    return rotated.stream().min(Comparator.comparingLong(s -> load.getOrDefault(s, 0L))).orElseThrow();
  }

  private static MountTarget targetIn(Map<String, MountTarget> targets, String zone, String fileSystemId) {
    MountTarget target = targets.get(zone);
    if (target == null) {
      throw new ProvisioningException("EFS file system " + fileSystemId + " has no mount target in "
          + zone + "; create one there, or request a subnet in "
          + String.join(", ", new TreeSet<>(targets.keySet())));
    }
    return target;
  }

  private static List<String> studioGroups(StudioDomain domain, UserProfile profile) {
    Set<String> groups = new LinkedHashSet<>(domain.securityGroupIds());
    groups.addAll(profile.securityGroupIds());
    if (groups.isEmpty()) {
      throw new ProvisioningException("domain " + domain.domainId() + " and user profile "
          + profile.user() + " name no security groups for Studio apps, so no host could admit them;"
          + " set the domain's DefaultUserSettings.SecurityGroups");
    }
    return List.copyOf(groups);
  }
}

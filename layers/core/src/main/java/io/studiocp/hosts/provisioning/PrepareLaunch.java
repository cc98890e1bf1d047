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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

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
  private final SubnetChoice subnetChoice;
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
    this.subnetChoice = new SubnetChoice(subnets, instanceTypes, fleet);
    this.images = images;
    this.fileSystems = fileSystems;
    this.network = network;
    this.fleet = fleet;
    this.paths = paths;
    this.policy = policy;
  }

  public LaunchPlan prepare(PrepareInput input) {
    HostRequest request = input.request();
    // Lookups that do not depend on each other run side by side, each as soon as what it needs is
    // known; the results are taken in the order the steps were once made one after another, so each
    // failure keeps its own message and the first of them is the one reported.
    var domainLookup = Concurrently.start(() -> directory.domain(input.owner().domainId()).orElseThrow(() ->
        new ProvisioningException("domain " + input.owner().domainId() + " no longer exists")));
    var profileLookup = Concurrently.start(() -> directory.userProfile(input.owner()).orElseThrow(() ->
        new ProvisioningException("user profile " + input.owner() + " no longer exists")));
    var typeLookup = Concurrently.start(() -> instanceTypes.describe(request.instanceType()).orElseThrow(() ->
        new ProvisioningException("instance type " + request.instanceType() + " does not exist")));
    var imageLookup = typeLookup.thenApply(images::imageFor);
    var pooledLookup = Concurrently.start(fleet::pooled);
    var namedSubnetZone = request.subnetId() == null ? null
        : Concurrently.start(() -> subnets.availabilityZones(List.of(request.subnetId())));
    StudioDomain domain = Concurrently.join(domainLookup);
    // What the domain alone decides: its home's mount targets, and its subnets' zones.
    var homeTargetsLookup = Concurrently.start(() -> fileSystems.mountTargets(domain.homeEfsFileSystemId()));
    var domainZones = request.subnetId() != null ? null
        : Concurrently.start(() -> subnets.availabilityZones(domain.subnetIds()));
    UserProfile profile = Concurrently.join(profileLookup);

    List<String> studioGroups = studioGroups(domain, profile);
    var hostGroupReady = Concurrently.start(() -> network.ensureHostGroup(domain.vpcId(), domain.domainId(),
        studioGroups, policy.dockerPort()));
    List<CompletableFuture<Map<String, MountTarget>>> customTargets = profile.customFileSystems().stream()
        .map(custom -> Concurrently.start(() -> fileSystems.mountTargets(custom.fileSystemId())))
        .toList();
    Map<String, MountTarget> homeTargets = Concurrently.join(homeTargetsLookup);
    List<HostInstance> pooled = Concurrently.join(pooledLookup).stream()
        .filter(i -> i.poolDomain().filter(domain.domainId()::equals).isPresent())
        .filter(i -> request.instanceType().equals(i.instanceType()))
        .filter(i -> i.volumeGiB().filter(v -> v == request.volumeGiB()).isPresent())
        .toList();
    String subnetId;
    boolean pool;
    String zone;
    if (request.subnetId() != null) {
      subnetId = request.subnetId();
      pool = pooled.stream().anyMatch(i -> subnetId.equals(i.subnetId()));
      zone = Concurrently.join(namedSubnetZone).get(subnetId);
    } else {
      Map<String, String> zones = Concurrently.join(domainZones);
      // A pool host waits in its pool's subnet: the user's mounts must be that zone's. Its type is
      // offered in that zone (it runs there), so a claim reads no offering; a launch chooses among
      // the subnets whose zone offers the type.
      List<String> placed = subnetChoice.placed(domain, homeTargets, zones);
      Optional<String> poolSubnet = pooled.stream().map(HostInstance::subnetId).filter(placed::contains)
          .findFirst();
      pool = poolSubnet.isPresent();
      subnetId = poolSubnet.orElseGet(() -> subnetChoice.leastLoaded(
          subnetChoice.candidates(domain, request.instanceType(), homeTargets, zones), input.hostId()));
      // A candidate is a subnet whose zone was just read.
      zone = zones.get(subnetId);
    }
    if (zone == null) {
      throw new ProvisioningException("subnet " + subnetId + " does not exist");
    }
    String hostGroup = Concurrently.join(hostGroupReady);
    var extraPortsReady = request.extraPorts().isEmpty() ? null : Concurrently.start(() ->
        network.ensureExtraPortsGroup(domain.vpcId(), input.hostId(), studioGroups, request.extraPorts()));

    // NFS to each file system's mount target in the zone, all at once (each admits the host group).
    String home = paths.home(input.owner());
    MountTarget homeTarget = targetIn(homeTargets, zone, domain.homeEfsFileSystemId());
    List<CompletableFuture<NfsMount>> mountsReady = new ArrayList<>();
    mountsReady.add(Concurrently.start(() -> {
      fileSystems.allowNfs(homeTarget, domain.vpcId(), domain.domainId(), hostGroup);
      return new NfsMount(homeTarget.ipAddress(), "/" + profile.homeEfsUid(), home);
    }));
    for (int i = 0; i < customTargets.size(); i++) {
      UserProfile.CustomFileSystem custom = profile.customFileSystems().get(i);
      CompletableFuture<Map<String, MountTarget>> targets = customTargets.get(i);
      mountsReady.add(Concurrently.start(() -> {
        MountTarget target = targetIn(Concurrently.join(targets), zone, custom.fileSystemId());
        fileSystems.allowNfs(target, domain.vpcId(), domain.domainId(), hostGroup);
        return new NfsMount(target.ipAddress(), custom.fileSystemPath(), CUSTOM_EFS_ROOT + custom.fileSystemId());
      }));
    }
    List<NfsMount> mounts = Concurrently.joinAll(mountsReady);
    List<String> groups = new ArrayList<>(List.of(hostGroup));
    if (extraPortsReady != null) {
      groups.add(Concurrently.join(extraPortsReady));
    }

    // A pool host takes only plain paths in a claim: a request with another goes to a fresh launch
    // at once rather than after the claim's timeout.
    boolean claimable = pool && NfsMount.plainPath(home) && mounts.stream().allMatch(NfsMount::claimable);

    InstanceTypeInfo type = Concurrently.join(typeLookup);
    HostImage image = Concurrently.join(imageLookup);
    Instant started = Instant.parse(input.startedAt());
    return new LaunchPlan(input.hostId(), input.owner(), input.executionArn(), request.instanceType(),
        type.architecture(), type.nvidiaGpu(), image.imageId(), image.rootDeviceName(), subnetId, zone,
        groups, request.volumeGiB(), policy.dockerPort(), request.extraPorts(),
        started.plus(Duration.ofHours(request.ttlHours())).toString(), profile.homeEfsUid(),
        paths.gid(), home, paths.certDirectory(input.owner(), input.hostId()), mounts, started.toString(), claimable);
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

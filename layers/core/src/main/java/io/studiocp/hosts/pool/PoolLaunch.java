package io.studiocp.hosts.pool;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostNetwork;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.InstanceTypeInfo;
import io.studiocp.hosts.InstanceTypes;
import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.hosts.provisioning.FileSystems;
import io.studiocp.hosts.provisioning.HostImage;
import io.studiocp.hosts.provisioning.HostImages;
import io.studiocp.hosts.provisioning.HostLauncher;
import io.studiocp.hosts.provisioning.LaunchSpec;
import io.studiocp.hosts.provisioning.MountTarget;
import io.studiocp.hosts.provisioning.ProvisioningException;
import io.studiocp.hosts.provisioning.SubnetChoice;
import io.studiocp.platform.Digests;
import io.studiocp.studio.StudioDirectory;
import io.studiocp.studio.StudioDomain;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Launches pool hosts of one domain and type: in one subnet of the domain's (the same every time,
 * where the type is offered and the home file system has a mount target), in the domain's host
 * security group, with the hosts' profile, the default volume, a shutdown that terminates, and
 * bootstrap.sh in pool mode waiting on the pool's queue (created here if missing), each with its
 * ticket on the pool's ticket queue (see {@link PoolQueues}).
 */
public final class PoolLaunch {

  static final int SETTLED_MINUTES = 5;
  private static final int MAX_DRAINED = 100;

  /** Where pool hosts report and read, when not the region's public endpoints (the sandbox's). */
  public record Endpoints(String region, Optional<String> sqs, Optional<String> sfn) {}

  private final StudioDirectory directory;
  private final InstanceTypes instanceTypes;
  private final SubnetChoice subnetChoice;
  private final HostImages images;
  private final FileSystems fileSystems;
  private final HostNetwork network;
  private final HostFleet fleet;
  private final HostLauncher launcher;
  private final PoolQueues queues;
  private final BootstrapUserData userData;
  private final HostPolicy policy;
  private final Endpoints endpoints;

  public PoolLaunch(StudioDirectory directory, InstanceTypes instanceTypes, SubnetChoice subnetChoice,
      HostImages images, FileSystems fileSystems, HostNetwork network, HostFleet fleet, HostLauncher launcher,
      PoolQueues queues, BootstrapUserData userData, HostPolicy policy, Endpoints endpoints) {
    this.directory = directory;
    this.instanceTypes = instanceTypes;
    this.subnetChoice = subnetChoice;
    this.images = images;
    this.fileSystems = fileSystems;
    this.network = network;
    this.fleet = fleet;
    this.launcher = launcher;
    this.queues = queues;
    this.userData = userData;
    this.policy = policy;
    this.endpoints = endpoints;
  }

  /**
   * Launches {@code count} pool hosts. {@code have} (how many the pool has now) and the minute make
   * the client tokens: two keepers that see the same pool in the same minute launch the same hosts.
   *
   * @return the new instances' ids
   * @throws ProvisioningException naming what is missing (a domain, a subnet, a type, security groups)
   */
  public List<String> launch(String domainId, String instanceType, int have, int count, Instant now) {
    StudioDomain domain = directory.domain(domainId)
        .orElseThrow(() -> new ProvisioningException("domain " + domainId + " does not exist"));
    if (domain.securityGroupIds().isEmpty()) {
      throw new ProvisioningException("domain " + domainId + " names no security groups for Studio apps, so no "
          + "pool host could admit them; set the domain's DefaultUserSettings.SecurityGroups");
    }
    Map<String, MountTarget> homeTargets = fileSystems.mountTargets(domain.homeEfsFileSystemId());
    List<String> candidates = subnetChoice.candidates(domain, instanceType, homeTargets);
    String subnetId = subnetChoice.stable(candidates, domainId + "/" + instanceType);
    String hostGroup = network.ensureHostGroup(domain.vpcId(), domainId, domain.securityGroupIds(),
        policy.dockerPort());
    InstanceTypeInfo type = instanceTypes.describe(instanceType)
        .orElseThrow(() -> new ProvisioningException("instance type " + instanceType + " does not exist"));
    HostImage image = images.imageFor(type);
    String queueUrl = queues.ensure(PoolQueues.name(domainId, instanceType));
    String tickets = PoolQueues.ticketsName(domainId, instanceType);
    queues.ensureTickets(tickets);
    String script = userData.renderPool(queueUrl, endpoints.region(), endpoints.sqs(), endpoints.sfn());
    int volume = policy.defaultVolumeGiB();
    Map<String, String> tags = fleet.poolTags(domainId, instanceType, volume, now);
    long minute = now.getEpochSecond() / 60;
    List<String> launched = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String token = "pool-" + Digests.sha256Hex(domainId + "/" + instanceType + "/" + (have + i) + "/" + minute)
          .substring(0, 32);
      String instanceId = launcher.launch(new LaunchSpec(image.imageId(), instanceType, subnetId, List.of(hostGroup),
          image.rootDeviceName(), volume, script, token, tags, true));
      // Its ticket: what lets exactly one claim have it.
      queues.addTicket(tickets, instanceId, instanceId);
      launched.add(instanceId);
    }
    return launched;
  }

  /**
   * Keeps a pool's tickets at one per waiting host. A pool with no host has no free host: every
   * ticket left (of a pool host that died unclaimed) is taken away. A settled pool (every host older
   * than {@value #SETTLED_MINUTES} minutes; SQS's counts are approximate) gets the tickets it lacks (a
   * claim nobody took in time spent one) and loses those it has too many. A claim under way can make
   * the count one off; the one claim that meets it then waits for the claim's timeout and falls back
   * to a launch, and the count is right again.
   *
   * @return the hosts given a ticket
   */
  public List<String> mendTickets(String domainId, String instanceType, List<HostInstance> waiting, Instant now) {
    String tickets = PoolQueues.ticketsName(domainId, instanceType);
    if (waiting.isEmpty()) {
      forget(domainId, instanceType, MAX_DRAINED);
      return List.of();
    }
    if (waiting.stream().anyMatch(h -> h.createdAt() == null
        || h.createdAt().isAfter(now.minus(java.time.Duration.ofMinutes(SETTLED_MINUTES))))) {
      return List.of();
    }
    int missing = waiting.size() - queues.ticketCount(tickets);
    if (missing < 0) {
      forget(domainId, instanceType, -missing);
      return List.of();
    }
    queues.ensureTickets(tickets);
    long minute = now.getEpochSecond() / 60;
    List<String> mended = new ArrayList<>();
    for (HostInstance host : waiting.subList(waiting.size() - Math.min(missing, waiting.size()), waiting.size())) {
      queues.addTicket(tickets, host.instanceId(), host.instanceId() + "-" + minute);
      mended.add(host.instanceId());
    }
    return mended;
  }

  /**
   * Takes the tickets of {@code count} retired pool hosts of one domain and type (any of the pool's:
   * a ticket stands for one free host, not a given one), so that no claim counts on them.
   *
   * @return how many there were to take
   */
  public int forget(String domainId, String instanceType, int count) {
    String tickets = PoolQueues.ticketsName(domainId, instanceType);
    int taken = 0;
    for (int i = 0; i < count; i++) {
      Optional<PoolQueues.Ticket> ticket = queues.takeTicket(tickets);
      if (ticket.isEmpty()) {
        break;
      }
      queues.spend(ticket.get());
      taken++;
    }
    return taken;
  }
}

package io.studiocp.hosts.provisioning;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostInstance;
import io.studiocp.platform.Digests;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The workflow's Launch step. Idempotent per task token: a retried invocation with the same token
 * finds the instance it launched; a new attempt (new token) first terminates an instance of an
 * earlier attempt, whose user data carries a token nobody waits for any more.
 */
public final class LaunchHost {

  /** What Launch returns; the workflow waits for the host's own callback. */
  public record Launched(String hostId, String instanceId, boolean reused) {}

  private final HostFleet fleet;
  private final HostLauncher launcher;
  private final BootstrapUserData userData;
  private final String region;
  private final Optional<String> sfnEndpoint;

  /**
   * @param sfnEndpoint where hosts report back, when not the region's public Step Functions
   *     endpoint (the sandbox's)
   */
  public LaunchHost(HostFleet fleet, HostLauncher launcher, BootstrapUserData userData, String region,
      Optional<String> sfnEndpoint) {
    this.fleet = fleet;
    this.launcher = launcher;
    this.userData = userData;
    this.region = region;
    this.sfnEndpoint = sfnEndpoint;
  }

  public Launched launch(LaunchRequest request) {
    LaunchPlan plan = request.plan();
    String attempt = Digests.sha256Hex(request.taskToken()).substring(0, 16);
    List<HostInstance> live = fleet.liveInstancesOf(plan.hostId());
    for (HostInstance instance : live) {
      if (instance.launchAttempt().filter(attempt::equals).isPresent()) {
        return new Launched(plan.hostId().value(), instance.instanceId(), true);
      }
    }
    fleet.fail(live, "replaced by a new launch attempt");
    String script = userData.render(plan, request.taskToken(), region, sfnEndpoint);
    Map<String, String> tags = fleet.launchTags(new HostFleet.NewHost(plan.hostId(), plan.owner(),
        plan.expiresAt(), plan.executionArn(), plan.dockerPort(), plan.certDirectory(), plan.extraPorts(), attempt,
        plan.createdAt(), plan.volumeGiB()));
    String instanceId = launcher.launch(new LaunchSpec(plan.imageId(), plan.instanceType(),
        plan.subnetId(), plan.securityGroupIds(), plan.rootDeviceName(), plan.volumeGiB(), script,
        plan.hostId().value() + "-" + attempt, tags));
    return new Launched(plan.hostId().value(), instanceId, false);
  }
}

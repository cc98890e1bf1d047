package io.studiocp.hosts.provisioning;

import io.studiocp.hosts.HostCommands;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostState;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.Hosts;
import io.studiocp.platform.Digests;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The workflow's Launch step. Idempotent per task token: a retried invocation with the same token
 * finds the instance it launched; a new attempt (new token) first terminates an instance of an
 * earlier attempt, whose user data carries a token nobody waits for any more.
 */
public final class LaunchHost {

  /** What Launch returns; the workflow waits for the host's own callback. */
  public record Launched(String hostId, String instanceId, boolean reused) {}

  private final Hosts hosts;
  private final HostCommands commands;
  private final HostLauncher launcher;
  private final BootstrapUserData userData;
  private final String region;
  private final String sfnEndpoint;

  public LaunchHost(Hosts hosts, HostCommands commands, HostLauncher launcher, BootstrapUserData userData,
      String region, String sfnEndpoint) {
    this.hosts = hosts;
    this.commands = commands;
    this.launcher = launcher;
    this.userData = userData;
    this.region = region;
    this.sfnEndpoint = sfnEndpoint;
  }

  public Launched launch(LaunchRequest request) {
    LaunchPlan plan = request.plan();
    String attempt = Digests.sha256Hex(request.taskToken()).substring(0, 16);
    List<HostInstance> live = hosts.instancesOf(plan.hostId()).stream().filter(i -> !i.isGone()).toList();
    for (HostInstance instance : live) {
      if (attempt.equals(instance.tags().get(HostTags.LAUNCH_TOKEN))) {
        return new Launched(plan.hostId().value(), instance.instanceId(), true);
      }
    }
    List<String> stale = live.stream().map(HostInstance::instanceId).toList();
    if (!stale.isEmpty()) {
      commands.tag(stale, Map.of(HostTags.STATE, HostState.FAILED.name(),
          HostTags.FAILURE_REASON, "replaced by a new launch attempt"));
      commands.terminate(stale);
    }
    String script = userData.render(plan, request.taskToken(), region, sfnEndpoint);
    String instanceId = launcher.launch(new LaunchSpec(plan.imageId(), plan.instanceType(),
        plan.subnetId(), plan.securityGroupIds(), plan.rootDeviceName(), plan.volumeGiB(), script,
        plan.hostId().value() + "-" + attempt, tags(plan, attempt)));
    return new Launched(plan.hostId().value(), instanceId, false);
  }

  static Map<String, String> tags(LaunchPlan plan, String attempt) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("Name", "studiocp-" + plan.owner().userProfileName() + "-" + plan.hostId().value());
    tags.put(HostTags.MANAGED, "true");
    tags.put(HostTags.HOST_ID, plan.hostId().value());
    tags.put(HostTags.OWNER, plan.owner().owner());
    tags.put(HostTags.DOMAIN, plan.owner().domainId());
    tags.put(HostTags.USER_PROFILE, plan.owner().userProfileName());
    tags.put(HostTags.STATE, HostState.PROVISIONING.name());
    tags.put(HostTags.EXPIRES_AT, plan.expiresAt());
    tags.put(HostTags.EXECUTION_ARN, HostTags.fit(plan.executionArn()));
    tags.put(HostTags.DOCKER_PORT, Integer.toString(plan.dockerPort()));
    tags.put(HostTags.CERT_DIR, HostTags.fit(plan.certDirectory()));
    if (!plan.extraPorts().isEmpty()) {
      tags.put(HostTags.EXTRA_PORTS, plan.extraPorts().stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    tags.put(HostTags.LAUNCH_TOKEN, attempt);
    return tags;
  }

}

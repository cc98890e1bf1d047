package io.studiocp.hosts.provisioning;

import io.studiocp.hosts.HostCommands;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostState;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.Hosts;
import java.util.List;
import java.util.Map;

/**
 * The workflow's Compensate step: every path that fails ends here. Records why on the instance
 * and terminates it, so that no instance is left behind; returns the code and reason the
 * execution fails with.
 */
public final class CompensateProvisioning {

  private final Hosts hosts;
  private final HostCommands commands;

  public CompensateProvisioning(Hosts hosts, HostCommands commands) {
    this.hosts = hosts;
    this.commands = commands;
  }

  public FailureReason compensate(CompensateInput input) {
    FailureReason reason = FailureReason.of(input.error(), input.certDirectory());
    Map<String, String> failed = Map.of(HostTags.STATE, HostState.FAILED.name(),
        HostTags.FAILURE_REASON, HostTags.fit(reason.cause()));
    List<HostInstance> instances = hosts.instancesOf(input.hostId());
    List<String> live = instances.stream().filter(i -> !"terminated".equals(i.ec2State()))
        .map(HostInstance::instanceId).toList();
    if (!live.isEmpty()) {
      commands.tag(live, failed);
      commands.terminate(live);
    }
    for (HostInstance gone : instances) {
      if ("terminated".equals(gone.ec2State())) {
        try {
          commands.tag(List.of(gone.instanceId()), failed);
        } catch (RuntimeException e) {
          // EC2 may refuse tags on a terminated instance; the execution's failure still says why.
        }
      }
    }
    return reason;
  }
}

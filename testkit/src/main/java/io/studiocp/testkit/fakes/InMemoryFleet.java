package io.studiocp.testkit.fakes;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostRequest;
import io.studiocp.hosts.HostState;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.ProvisioningInput;
import io.studiocp.studio.StudioUser;
import io.studiocp.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hosts in memory, wired the way the functions wire the AWS adapters: EC2 ({@link InMemoryHosts}),
 * the provisioning workflow, the hosts' security groups, and the fleet over them, all on one
 * clock the test moves. For fast tests of the host use cases.
 */
public final class InMemoryFleet {

  public final TestClock clock;
  public final InMemoryHosts ec2;
  public final InMemoryWorkflow workflow;
  public final InMemoryHostNetwork network = new InMemoryHostNetwork();
  public final InMemoryHostSlots slots = new InMemoryHostSlots();
  public final HostFleet fleet;

  public InMemoryFleet(Instant now) {
    clock = new TestClock(now);
    ec2 = new InMemoryHosts(clock);
    workflow = new InMemoryWorkflow(clock);
    fleet = new HostFleet(ec2, ec2);
  }

  /** A host of {@code owner} whose provisioning workflow was just started (no instance yet). */
  public HostId provisioning(StudioUser owner, String key) {
    HostId id = HostId.derive(owner, key);
    workflow.start(new ProvisioningInput(id, owner, new HostRequest("m5.large", null, 100, 12, List.of())));
    return id;
  }

  /**
   * An instance of a host, launched now with the tags a launch gives it, then in the given EC2
   * state and marked with the given host state (and, when READY, where Docker listens).
   */
  public String instance(HostId id, StudioUser owner, String ec2State, HostState state) {
    Map<String, String> tags = new LinkedHashMap<>(fleet.launchTags(new HostFleet.NewHost(id, owner,
        clock.instant().plus(Duration.ofHours(12)).toString(), "arn:aws:states:us-east-1:123456789012:execution:"
            + "ProvisionHost:" + id, 1111, "/home/sagemaker-user/.sdocker/hosts/" + id, List.of(),
        "attempt-" + id.value())));
    tags.put(HostTags.STATE, state.name());
    if (state == HostState.READY) {
      tags.put(HostTags.DOCKER_HOST, "ip-10-0-0-1.ec2.internal");
      tags.put(HostTags.READY_AT, clock.instant().toString());
    }
    return ec2.add("m5.large", "subnet-0aaa1111", ec2State, tags);
  }
}

package io.studiocp.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HostInstanceTest {

  private static HostInstance instance(String ec2State, String tagState) {
    return new HostInstance("i-1", ec2State, "m5.large", "subnet-1", "ip-10-0-0-1", "10.0.0.1", Instant.EPOCH,
        Map.of(HostTags.MANAGED, "true", HostTags.HOST_ID, "h-0123456789abcdef", HostTags.OWNER, "d-abc/alice",
            HostTags.STATE, tagState, HostTags.FAILURE_REASON, "dockerd broke", HostTags.DOCKER_PORT, "1111",
            HostTags.DOCKER_HOST, "ip-10-0-0-1.ec2.internal"));
  }

  @ParameterizedTest(name = "EC2 {0} + tag {1} -> {2}")
  @CsvSource({
      "running, READY, READY",
      "running, PROVISIONING, PROVISIONING",
      "stopped, READY, STOPPED",
      "stopping, READY, STOPPED",
      "stopped, PROVISIONING, PROVISIONING",
      "shutting-down, READY, TERMINATING",
      "terminated, READY, TERMINATED",
      "terminated, TERMINATING, TERMINATED",
      "terminated, FAILED, FAILED",
      "shutting-down, FAILED, FAILED",
  })
  void ec2StateCorrectsAStaleTag(String ec2State, String tagState, HostState expected) {
    assertEquals(expected, instance(ec2State, tagState).state());
  }

  @Test
  void onlyAFailedHostShowsItsFailureReason() {
    assertEquals("dockerd broke", instance("terminated", "FAILED").toHost().failureReason());
    assertNull(instance("running", "READY").toHost().failureReason());
    assertEquals("tcp://ip-10-0-0-1.ec2.internal:1111", instance("running", "READY").toHost().dockerEndpoint());
  }
}

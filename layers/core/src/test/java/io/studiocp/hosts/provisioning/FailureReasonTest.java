package io.studiocp.hosts.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.studiocp.hosts.provisioning.CompensateInput.CaughtError;
import org.junit.jupiter.api.Test;

class FailureReasonTest {

  @Test
  void aHostFailureKeepsItsOwnWords() {
    FailureReason r = FailureReason.of(new CaughtError("BootstrapFailed", "step 'dockerd' failed"), "/home/u/.sdocker/hosts/h");
    assertEquals(new FailureReason("HostBootstrapFailed", "step 'dockerd' failed"), r);
  }

  @Test
  void aTimeoutPointsAtTheLog() {
    FailureReason r = FailureReason.of(new CaughtError("States.Timeout", ""), "/home/u/.sdocker/hosts/h");
    assertEquals("HostTimedOut", r.error());
    assertEquals("the host did not report ready in time; see /home/u/.sdocker/hosts/h/bootstrap.log", r.cause());
  }

  @Test
  void aLambdaErrorShowsOnlyItsMessage() {
    String cause = "{\"errorMessage\":\"mount target fsmt-1 already has 5 security groups\","
        + "\"errorType\":\"io.studiocp.hosts.provisioning.ProvisioningException\",\"stackTrace\":[\"a.b(C.java:1)\"]}";
    FailureReason r = FailureReason.of(new CaughtError("io.studiocp.hosts.provisioning.ProvisioningException", cause), null);
    assertEquals(new FailureReason("ProvisioningFailed", "mount target fsmt-1 already has 5 security groups"), r);
  }
}

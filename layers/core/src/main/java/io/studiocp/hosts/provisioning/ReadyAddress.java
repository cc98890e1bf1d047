package io.studiocp.hosts.provisioning;

import io.studiocp.hosts.HostInstance;
import java.util.Objects;

/**
 * Where a host that reported ready is reached: always what EC2 says about its instance, never what
 * the report says. A task token sits in the instance's user data, so whoever can read that can
 * send a report; a report may only say "ready" for the instance and host the token was issued to,
 * and an address or port in it that is not the instance's own makes it a forgery: the host is not
 * marked ready (the execution fails and its instance is cleaned up).
 */
public final class ReadyAddress {

  private ReadyAddress() {}

  /**
   * The instance's private IP address (its certificate names it, and it resolves anywhere in the
   * VPC without DNS), after checking the report against the instance.
   *
   * @param port the Docker port the host was launched with (its tag / the plan), not the report's
   * @throws ProvisioningException naming what did not match
   */
  public static String of(HostInstance instance, ReadyReport report, int port) {
    if (report == null || report.instanceId() == null) {
      throw new ProvisioningException("the host's ready report lacks instanceId");
    }
    if (!instance.instanceId().equals(report.instanceId())) {
      throw new ProvisioningException("the ready report came from " + report.instanceId()
          + ", but the host's instance is " + instance.instanceId());
    }
    String address = instance.privateIpAddress();
    if (address == null || address.isBlank()) {
      throw new ProvisioningException("EC2 shows no private IP address for instance " + instance.instanceId()
          + ", so the host cannot be reached");
    }
    String claimed = report.privateDnsName();
    if (claimed != null && !claimed.equals(address) && !claimed.equals(instance.privateDnsName())) {
      throw new ProvisioningException("the ready report names address " + claimed + ", but EC2 says instance "
          + instance.instanceId() + " is " + address + " (" + instance.privateDnsName() + "): the report is not "
          + "the host's own, so the host is not marked ready");
    }
    if (report.dockerPort() != null && !Objects.equals(report.dockerPort(), port)) {
      throw new ProvisioningException("the ready report names Docker port " + report.dockerPort() + ", but host was "
          + "launched with " + port + ": the report is not the host's own, so the host is not marked ready");
    }
    return address;
  }
}

package io.studiocp.hosts.provisioning;

/**
 * Provisioning cannot go on, for a reason that retrying will not change (a missing mount target,
 * a full mount target, a domain that is gone). The message is shown to the user as the reason.
 */
public final class ProvisioningException extends RuntimeException {

  public ProvisioningException(String message) {
    super(message);
  }
}

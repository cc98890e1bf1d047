package io.studiocp.ssh;

import io.studiocp.platform.Env;
import io.studiocp.platform.Settings;
import java.time.Duration;

/**
 * SSH's settings, read and checked at init (each failure names its template parameter).
 *
 * @param activationRole the name of the IAM role SSM gives the nodes an activation registers
 * @param activationLifetime how long an activation waits for its one registration
 */
public record SshSettings(String activationRole, Duration activationLifetime) {

  public static SshSettings from(Env env) {
    return new SshSettings(env.text(Settings.SSH_ACTIVATION_ROLE, "studiocp-ssh-managed-node"),
        Duration.ofMinutes(env.integer(Settings.SSH_ACTIVATION_MINUTES, 30, 5, 24 * 60)));
  }
}

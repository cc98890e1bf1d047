package io.studiocp.cleanup;

import io.studiocp.platform.ConfigurationException;
import io.studiocp.platform.Env;
import io.studiocp.platform.Settings;
import java.time.Duration;
import java.util.Locale;

/** The cleanup's settings, read and checked at init; each failure names its template parameter. */
public record CleanupSettings(Duration expiryWarning, ExpiredAction expiredAction, Duration idleStop,
    Duration idleGrace, Duration provisioningTimeout, Duration sshOffline) {

  /** The settings before SSH (tests of the hosts' rules): SSH nodes offline for two hours go. */
  public CleanupSettings(Duration expiryWarning, ExpiredAction expiredAction, Duration idleStop, Duration idleGrace,
      Duration provisioningTimeout) {
    this(expiryWarning, expiredAction, idleStop, idleGrace, provisioningTimeout, Duration.ofMinutes(120));
  }

  /** What happens to a host at its expiry. */
  public enum ExpiredAction { STOP, TERMINATE }

  /** How long past its timeout a provisioning or starting host is left to its own workflow. */
  static final Duration ORPHAN_MARGIN = Duration.ofMinutes(10);

  public static CleanupSettings from(Env env) {
    ExpiredAction action;
    try {
      action = ExpiredAction.valueOf(env.text(Settings.EXPIRED_HOST_ACTION, "stop").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(Settings.EXPIRED_HOST_ACTION.describe() + " must be stop or terminate");
    }
    return new CleanupSettings(
        Duration.ofMinutes(env.integer(Settings.EXPIRY_WARNING_MINUTES, 60, 0, 24 * 60)),
        action,
        Duration.ofMinutes(env.integer(Settings.IDLE_STOP_MINUTES, 120, 0, 7 * 24 * 60)),
        Duration.ofMinutes(env.integer(Settings.IDLE_GRACE_MINUTES, 30, 0, 24 * 60)),
        Duration.ofSeconds(env.integer(Settings.PROVISIONING_TIMEOUT_SECONDS, 900, 5, 7200)),
        Duration.ofMinutes(env.integer(Settings.SSH_OFFLINE_MINUTES, 120, 15, 30 * 24 * 60)));
  }

  public boolean idleStopOn() {
    return !idleStop.isZero();
  }
}

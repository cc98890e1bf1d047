package io.studiocp.hosts;

import io.studiocp.platform.ConfigurationException;
import io.studiocp.platform.Env;
import io.studiocp.platform.Settings;
import java.util.Arrays;
import java.util.List;

/** The limits hosts are requested within: the template's parameters, checked at init. */
public record HostPolicy(int dockerPort, List<InstanceTypePattern> allowedInstanceTypes,
    int maxHostsPerUser, int defaultVolumeGiB, int maxVolumeGiB, int defaultTtlHours,
    int maxTtlHours) {

  /** The ECS-optimized AMI's root volume needs 30 GiB. */
  public static final int MIN_VOLUME_GIB = 30;
  /** Local endpoints of SageMaker local mode listen here; always open from Studio. */
  public static final int LOCAL_ENDPOINT_PORT = 8080;
  /** Ports a host may open besides Docker's and 8080. */
  public static final int MAX_EXTRA_PORTS = 5;
  public static final String DEFAULT_ALLOWED_TYPES =
      "t3.*,m5.*,m6i.*,m7i.*,c5.*,c6i.*,c7i.*,r5.*,r6i.*,g4dn.*,g5.*,g6.*,t4g.*,m6g.*,m7g.*,c6g.*,c7g.*";

  public HostPolicy {
    allowedInstanceTypes = List.copyOf(allowedInstanceTypes);
  }

  public static HostPolicy from(Env env) {
    int maxVolume = env.integer(Settings.MAX_VOLUME_GIB, 500, MIN_VOLUME_GIB, 16384);
    int maxTtl = env.integer(Settings.MAX_TTL_HOURS, 72, 1, 24 * 90);
    List<InstanceTypePattern> allowed;
    try {
      allowed = env.list(Settings.ALLOWED_INSTANCE_TYPES).stream().map(InstanceTypePattern::parse).toList();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("parameter AllowedInstanceTypes (environment variable "
          + "ALLOWED_INSTANCE_TYPES): " + e.getMessage());
    }
    if (allowed.isEmpty()) {
      allowed = Arrays.stream(DEFAULT_ALLOWED_TYPES.split(",")).map(InstanceTypePattern::parse).toList();
    }
    int dockerPort = env.integer(Settings.DOCKER_PORT, 1111, 1024, 65535);
    if (dockerPort == LOCAL_ENDPOINT_PORT) {
      throw new ConfigurationException("parameter DockerPort (environment variable DOCKER_PORT) "
          + "cannot be 8080: local mode endpoints use it");
    }
    return new HostPolicy(dockerPort, allowed,
        env.integer(Settings.MAX_HOSTS_PER_USER, 2, 1, 100),
        env.integer(Settings.DEFAULT_VOLUME_GIB, 100, MIN_VOLUME_GIB, maxVolume),
        maxVolume,
        env.integer(Settings.DEFAULT_TTL_HOURS, 12, 1, maxTtl),
        maxTtl);
  }

  /** Whole numbers from {@code min} to {@code max}, both included. */
  public record Range(int min, int max) {
    public boolean contains(int value) {
      return value >= min && value <= max;
    }
  }

  public Range volumeGiB() {
    return new Range(MIN_VOLUME_GIB, maxVolumeGiB);
  }

  public Range ttlHours() {
    return new Range(1, maxTtlHours);
  }

  public boolean allows(String instanceType) {
    return allowedInstanceTypes.stream().anyMatch(p -> p.matches(instanceType));
  }

  /**
   * The request the draft asks for, with the policy's defaults for what it leaves out.
   *
   * @throws io.studiocp.platform.Rejection naming the first field that is wrong and what to change
   */
  public HostRequest complete(HostRequest.Draft draft) {
    return HostRequestRules.complete(this, draft);
  }
}

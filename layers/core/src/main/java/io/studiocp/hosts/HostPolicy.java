package io.studiocp.hosts;

import io.studiocp.platform.ConfigurationException;
import io.studiocp.platform.Env;
import io.studiocp.platform.Rejection;
import io.studiocp.platform.Settings;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The limits hosts are requested within: the template's parameters, checked at init. A draft
 * request is completed within them ({@link #complete}).
 */
public record HostPolicy(int dockerPort, List<InstanceTypePattern> allowedInstanceTypes,
    int maxHostsPerUser, int defaultVolumeGiB, int maxVolumeGiB, int defaultTtlHours,
    int maxTtlHours, int maxHostLifetimeHours) {

  /** The ECS-optimized AMI's root volume needs 30 GiB. */
  public static final int MIN_VOLUME_GIB = 30;
  /** Local endpoints of SageMaker local mode listen here; always open from Studio. */
  public static final int LOCAL_ENDPOINT_PORT = 8080;
  /** Ports a host may open besides Docker's and 8080. */
  public static final int MAX_EXTRA_PORTS = 5;
  public static final String DEFAULT_ALLOWED_TYPES =
      "t3.*,m5.*,m6i.*,m7i.*,c5.*,c6i.*,c7i.*,r5.*,r6i.*,g4dn.*,g5.*,g6.*,t4g.*,m6g.*,m7g.*,c6g.*,c7g.*";
  private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
  private static final Pattern SUBNET_ID = Pattern.compile("subnet-[0-9a-f]{8,17}");

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
        maxTtl,
        env.integer(Settings.MAX_HOST_LIFETIME_HOURS, 24 * 30, maxTtl, 24 * 365));
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
   * The request the draft asks for, with the policy's defaults for what it leaves out. Every value
   * is checked; nothing the caller did not ask for is guessed.
   *
   * @throws Rejection naming the first field that is wrong and what to change
   */
  public HostRequest complete(HostRequest.Draft draft) {
    return new HostRequest(instanceType(draft),
        draft.subnetId().map(HostPolicy::subnetId).orElse(null),
        within(volumeGiB(), "volumeGiB", draft.volumeGiB().orElse(defaultVolumeGiB)),
        within(ttlHours(), "ttlHours", draft.ttlHours().orElse(defaultTtlHours)),
        extraPorts(draft.extraPorts()));
  }

  private String instanceType(HostRequest.Draft draft) {
    String type = draft.instanceType().orElseThrow(() ->
        Rejection.invalid("instanceType", "is required, for example \"m5.xlarge\""));
    if (type.startsWith("ml.")) {
      throw Rejection.invalid("instanceType", "'" + type + "' is a SageMaker instance type; "
          + "use the EC2 name '" + type.substring(3) + "'");
    }
    if (!INSTANCE_TYPE.matcher(type).matches()) {
      throw Rejection.invalid("instanceType", "'" + type + "' is not an EC2 instance type "
          + "such as \"m5.xlarge\"");
    }
    if (!allows(type)) {
      throw Rejection.invalid("instanceType", type + " is not allowed here; allowed: "
          + allowedInstanceTypes.stream().map(InstanceTypePattern::text)
              .collect(Collectors.joining(", ")));
    }
    return type;
  }

  private static String subnetId(String subnetId) {
    if (!SUBNET_ID.matcher(subnetId).matches()) {
      throw Rejection.invalid("subnetId", "must be a subnet id such as \"subnet-0abc1234\", got \""
          + subnetId.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }
    return subnetId;
  }

  private static int within(Range range, String field, int value) {
    if (!range.contains(value)) {
      throw Rejection.invalid(field, "must be from " + range.min() + " to " + range.max() + ", got " + value);
    }
    return value;
  }

  private List<Integer> extraPorts(List<Integer> ports) {
    if (ports.size() > MAX_EXTRA_PORTS) {
      throw Rejection.invalid("extraPorts", "at most " + MAX_EXTRA_PORTS + " ports, got " + ports.size());
    }
    Set<Integer> seen = new HashSet<>();
    for (int port : ports) {
      if (port < 1024 || port > 65535) {
        throw Rejection.invalid("extraPorts", port + " is outside 1024-65535");
      }
      if (port == dockerPort) {
        throw Rejection.invalid("extraPorts", port + " is the Docker port; it is always open");
      }
      if (port == LOCAL_ENDPOINT_PORT) {
        throw Rejection.invalid("extraPorts", "8080 is always open for local endpoints; leave it out");
      }
      if (!seen.add(port)) {
        throw Rejection.invalid("extraPorts", port + " is listed twice");
      }
    }
    return ports;
  }
}

package io.studiocp.hosts;

import io.studiocp.platform.Rejection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Completes a draft request within the policy: every value is checked and every problem is
 * refused with the field named and what to change; nothing the caller did not ask for is guessed.
 */
final class HostRequestRules {

  private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
  private static final Pattern SUBNET_ID = Pattern.compile("subnet-[0-9a-f]{8,17}");

  private HostRequestRules() {}

  static HostRequest complete(HostPolicy policy, HostRequest.Draft draft) {
    return new HostRequest(instanceType(policy, draft),
        draft.subnetId().map(HostRequestRules::subnetId).orElse(null),
        within(policy.volumeGiB(), "volumeGiB", draft.volumeGiB().orElse(policy.defaultVolumeGiB())),
        within(policy.ttlHours(), "ttlHours", draft.ttlHours().orElse(policy.defaultTtlHours())),
        extraPorts(policy, draft.extraPorts()));
  }

  private static String instanceType(HostPolicy policy, HostRequest.Draft draft) {
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
    if (!policy.allows(type)) {
      throw Rejection.invalid("instanceType", type + " is not allowed here; allowed: "
          + policy.allowedInstanceTypes().stream().map(InstanceTypePattern::text)
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

  private static int within(HostPolicy.Range range, String field, int value) {
    if (!range.contains(value)) {
      throw Rejection.invalid(field, "must be from " + range.min() + " to " + range.max() + ", got " + value);
    }
    return value;
  }

  private static List<Integer> extraPorts(HostPolicy policy, List<Integer> ports) {
    if (ports.size() > HostPolicy.MAX_EXTRA_PORTS) {
      throw Rejection.invalid("extraPorts", "at most " + HostPolicy.MAX_EXTRA_PORTS + " ports, got " + ports.size());
    }
    Set<Integer> seen = new HashSet<>();
    for (int port : ports) {
      if (port < 1024 || port > 65535) {
        throw Rejection.invalid("extraPorts", port + " is outside 1024-65535");
      }
      if (port == policy.dockerPort()) {
        throw Rejection.invalid("extraPorts", port + " is the Docker port; it is always open");
      }
      if (port == HostPolicy.LOCAL_ENDPOINT_PORT) {
        throw Rejection.invalid("extraPorts", "8080 is always open for local endpoints; leave it out");
      }
      if (!seen.add(port)) {
        throw Rejection.invalid("extraPorts", port + " is listed twice");
      }
    }
    return ports;
  }
}

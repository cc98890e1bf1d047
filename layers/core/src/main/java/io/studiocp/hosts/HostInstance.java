package io.studiocp.hosts;

import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An EC2 instance the control plane manages, as DescribeInstances shows it: its EC2 state and its
 * {@code studiocp:} tags. {@link #toHost()} derives what the user sees, trusting EC2's state over
 * a tag that an event has not corrected yet.
 */
public record HostInstance(String instanceId, String ec2State, String instanceType, String subnetId,
    String privateDnsName, String privateIpAddress, Instant launchTime, Map<String, String> tags) {

  public HostInstance {
    tags = Map.copyOf(tags);
  }

  public Optional<HostId> hostId() {
    String id = tags.get(HostTags.HOST_ID);
    return HostId.isValid(id) ? Optional.of(new HostId(id)) : Optional.empty();
  }

  public boolean isManaged() {
    return "true".equals(tags.get(HostTags.MANAGED)) && hostId().isPresent();
  }

  public Optional<StudioUser> owner() {
    try {
      return Optional.ofNullable(tags.get(HostTags.OWNER)).map(StudioUser::parseOwner);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The domain the host serves. */
  public Optional<String> domainId() {
    return Optional.ofNullable(tags.get(HostTags.DOMAIN));
  }

  /** Which launch attempt made this instance (a retried launch finds its own instance by it). */
  public Optional<String> launchAttempt() {
    return Optional.ofNullable(tags.get(HostTags.LAUNCH_TOKEN));
  }

  /** A warm pool host waiting for a claim: tagged with its domain and POOLED, owned by nobody. */
  public boolean isPooled() {
    return tags.containsKey(HostTags.POOL) && HostTags.POOLED.equals(tags.get(HostTags.STATE))
        && !tags.containsKey(HostTags.OWNER);
  }

  /** The root volume's size, as launched. */
  public Optional<Integer> volumeGiB() {
    return Optional.ofNullable(intTag(HostTags.VOLUME_GIB));
  }

  /** The domain a pool host waits for. */
  public Optional<String> poolDomain() {
    return Optional.ofNullable(tags.get(HostTags.POOL));
  }

  public boolean isGone() {
    return "terminated".equals(ec2State) || "shutting-down".equals(ec2State);
  }

  public HostState tagState() {
    return HostState.parse(tags.get(HostTags.STATE)).orElse(HostState.PROVISIONING);
  }

  /** The state to show: the tag, corrected by what EC2 says the instance is doing. */
  public HostState state() {
    HostState tagged = tagState();
    return switch (ec2State) {
      case "terminated" -> tagged == HostState.FAILED ? HostState.FAILED : HostState.TERMINATED;
      case "shutting-down" -> tagged == HostState.FAILED ? HostState.FAILED : HostState.TERMINATING;
      case "stopping", "stopped" -> switch (tagged) {
        case PROVISIONING, STARTING, FAILED, TERMINATING -> tagged;
        default -> HostState.STOPPED;
      };
      default -> tagged;
    };
  }

  public Host toHost() {
    return new Host(hostId().orElseThrow(), owner().orElse(null), state(), instanceType,
        instanceId, subnetId, tags.get(HostTags.DOCKER_HOST), intTag(HostTags.DOCKER_PORT),
        ports(tags.get(HostTags.EXTRA_PORTS)), tags.get(HostTags.CERT_DIR), createdAt(),
        instant(HostTags.READY_AT), instant(HostTags.EXPIRES_AT),
        state() == HostState.FAILED ? tags.get(HostTags.FAILURE_REASON) : null,
        state() == HostState.STOPPED ? tags.get(HostTags.STOP_REASON) : null,
        lastActive().orElse(null), intTag(HostTags.VOLUME_GIB));
  }

  /** When the host was requested: its tag, or (hosts launched before the tag) EC2's launch time. */
  public Instant createdAt() {
    Instant tagged = instant(HostTags.CREATED_AT);
    return tagged != null ? tagged : launchTime;
  }

  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(instant(HostTags.EXPIRES_AT));
  }

  public Optional<Instant> readyAt() {
    return Optional.ofNullable(instant(HostTags.READY_AT));
  }

  public Optional<Instant> startedAt() {
    return Optional.ofNullable(instant(HostTags.STARTED_AT));
  }

  /** The last use the host reported of itself. */
  public Optional<Host.Activity> lastActive() {
    return Host.Activity.parse(tags.get(HostTags.LAST_ACTIVE));
  }

  /** The address the host's certificate names, once it has reported ready. */
  public Optional<String> dockerHost() {
    return Optional.ofNullable(tags.get(HostTags.DOCKER_HOST)).filter(h -> !h.isBlank());
  }

  public Optional<Integer> dockerPort() {
    return Optional.ofNullable(intTag(HostTags.DOCKER_PORT));
  }

  public Optional<String> tag(String key) {
    return Optional.ofNullable(tags.get(key));
  }

  private Integer intTag(String key) {
    try {
      return tags.containsKey(key) ? Integer.valueOf(tags.get(key)) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private Instant instant(String key) {
    try {
      return tags.containsKey(key) ? Instant.parse(tags.get(key)) : null;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static List<Integer> ports(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    try {
      return Arrays.stream(text.split(",")).map(String::strip).map(Integer::valueOf).toList();
    } catch (NumberFormatException e) {
      return List.of();
    }
  }
}

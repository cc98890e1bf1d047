package io.studiocp.hosts;

import java.util.Set;

/** The EC2 tags that hold a host's state (EC2 is the source of truth: docs/decisions.md). */
public final class HostTags {

  private HostTags() {}

  public static final String PREFIX = "studiocp:";
  public static final String MANAGED = "studiocp:managed";
  public static final String HOST_ID = "studiocp:host-id";
  public static final String OWNER = "studiocp:owner";
  public static final String DOMAIN = "studiocp:domain";
  public static final String USER_PROFILE = "studiocp:user-profile";
  public static final String STATE = "studiocp:state";
  public static final String EXPIRES_AT = "studiocp:expires-at";
  public static final String EXECUTION_ARN = "studiocp:execution-arn";
  public static final String DOCKER_PORT = "studiocp:docker-port";
  public static final String DOCKER_HOST = "studiocp:docker-host";
  public static final String CERT_DIR = "studiocp:cert-dir";
  public static final String EXTRA_PORTS = "studiocp:extra-ports";
  public static final String FAILURE_REASON = "studiocp:failure-reason";
  public static final String LAUNCH_TOKEN = "studiocp:launch-token";
  public static final String READY_AT = "studiocp:ready-at";
  public static final String ROLE = "studiocp:role";
  /** When the host was requested (EC2's launch time moves with every start). */
  public static final String CREATED_AT = "studiocp:created-at";
  /** Why and when the host was last stopped, and by whom or what: "why was it stopped?". */
  public static final String STOP_REASON = "studiocp:stop-reason";
  /** The root volume's size, what a stopped host still costs. */
  public static final String VOLUME_GIB = "studiocp:volume-gib";
  public static final String STOPPED_AT = "studiocp:stopped-at";
  /** When the last start began (a start that never reports ready is found by it). */
  public static final String STARTED_AT = "studiocp:started-at";
  /**
   * Written by the host itself, on its own instance only: "{@code <ISO instant> <signal>}", the last
   * time it saw its owner use it and how (a running container, a build, client traffic, CPU).
   */
  public static final String LAST_ACTIVE = "studiocp:last-active";
  /**
   * On a warm pool host only: the domain it waits for (with {@link #STATE} {@value #POOLED}); a
   * claim replaces it with a launched host's tags.
   */
  public static final String POOL = "studiocp:pool";
  /** The state tag of a pool host that waits for a claim. */
  public static final String POOLED = "POOLED";

  /** Every key above: the fleet keeps them; other capabilities' marks may never overwrite one. */
  public static final Set<String> KEYS = Set.of(MANAGED, HOST_ID, OWNER, DOMAIN, USER_PROFILE, STATE, EXPIRES_AT,
      EXECUTION_ARN, DOCKER_PORT, DOCKER_HOST, CERT_DIR, EXTRA_PORTS, FAILURE_REASON, LAUNCH_TOKEN, READY_AT, ROLE, CREATED_AT, STOP_REASON, STOPPED_AT, STARTED_AT,
      LAST_ACTIVE, POOL);

  /** EC2 tag values hold at most 256 characters. */
  public static String fit(String value) {
    if (value == null) {
      return "";
    }
    return value.length() <= 256 ? value : value.substring(0, 253) + "...";
  }
}

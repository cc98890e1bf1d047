package io.studiocp.hosts;

import java.util.Set;

/** The EC2 tags that hold a host's state (docs/architecture.md, "Where state lives"). */
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

  /** Every key above: the fleet keeps them; other capabilities' marks may never overwrite one. */
  public static final Set<String> KEYS = Set.of(MANAGED, HOST_ID, OWNER, DOMAIN, USER_PROFILE, STATE, EXPIRES_AT,
      EXECUTION_ARN, DOCKER_PORT, DOCKER_HOST, CERT_DIR, EXTRA_PORTS, FAILURE_REASON, LAUNCH_TOKEN, READY_AT, ROLE);

  /** EC2 tag values hold at most 256 characters. */
  public static String fit(String value) {
    if (value == null) {
      return "";
    }
    return value.length() <= 256 ? value : value.substring(0, 253) + "...";
  }
}

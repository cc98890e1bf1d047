package io.studiocp.hosts;

import java.util.List;
import java.util.Optional;

/** The security groups of hosts. Every method is idempotent: it creates only what is missing. */
public interface HostNetwork {

  /**
   * The domain's host group: the Docker port and 8080 open to the Studio security groups, nothing
   * else. Created on first use, completed with rules for Studio groups it does not admit yet.
   */
  String ensureHostGroup(String vpcId, String domainId, List<String> studioGroups, int dockerPort);

  /** A group of the host's own for the extra ports it asked for, open to the Studio groups. */
  String ensureExtraPortsGroup(String vpcId, HostId hostId, List<String> studioGroups, List<Integer> ports);

  /** The host's own group, when it has one. */
  Optional<String> extraPortsGroup(HostId hostId);

  /** Deletes the host's own group once no instance uses it; false when it is still in use. */
  boolean deleteExtraPortsGroup(HostId hostId);
}

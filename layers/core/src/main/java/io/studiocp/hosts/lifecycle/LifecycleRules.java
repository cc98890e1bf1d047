package io.studiocp.hosts.lifecycle;

import io.studiocp.hosts.Host;
import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostState;
import io.studiocp.platform.Rejection;

/** What the lifecycle's use cases share: which states allow what, and the host's one live instance. */
final class LifecycleRules {

  private LifecycleRules() {}

  /** Refuses (409) a host in none of the given states, saying what the user can do instead. */
  static void requireState(Host host, String action, HostState... allowed) {
    for (HostState state : allowed) {
      if (host.state() == state) {
        return;
      }
    }
    String hint = switch (host.state()) {
      case PROVISIONING -> "wait until it is READY, or terminate it";
      case STARTING -> "wait until it is READY";
      case READY -> "it runs";
      case STOPPED -> "start it first: sdocker start-host " + host.id();
      case FAILED -> "it failed (" + host.failureReason() + "); terminate it and create another";
      case TERMINATING, TERMINATED -> "it is gone; create another";
    };
    throw Rejection.conflict("WrongState", "host " + host.id() + " is " + host.state() + " and cannot be " + action + ": " + hint);
  }

  /** The host's live instance. */
  static HostInstance liveInstance(HostFleet fleet, Host host, String action) {
    return fleet.liveInstancesOf(host.id()).stream().findFirst()
        .orElseThrow(() -> Rejection.conflict("WrongState", "host " + host.id() + " has no instance to be " + action));
  }
}

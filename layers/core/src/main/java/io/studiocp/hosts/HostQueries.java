package io.studiocp.hosts;

import io.studiocp.identity.Actor;
import io.studiocp.platform.Rejection;
import io.studiocp.studio.StudioUser;
import java.util.List;
import java.util.Optional;

/** {@code GET /hosts} and {@code GET /hosts/{hostId}}: what the caller may see. */
public final class HostQueries {

  private final HostDirectory hosts;

  public HostQueries(HostDirectory hosts) {
    this.hosts = hosts;
  }

  public List<Host> list(Actor actor, Optional<String> ownerFilter, boolean all) {
    if (all) {
      if (!actor.admin()) {
        throw Rejection.forbidden("only admins may list all hosts (all=true)");
      }
      return hosts.all();
    }
    if (ownerFilter.isPresent()) {
      StudioUser owner;
      try {
        owner = StudioUser.parseOwner(ownerFilter.get());
      } catch (IllegalArgumentException e) {
        throw Rejection.invalid("owner", "must be <domain id>/<user profile>, such as "
            + "d-abc123/alice, got '" + ownerFilter.get() + "'");
      }
      if (!actor.mayActOn(owner)) {
        throw Rejection.forbidden("only admins may list another user's hosts");
      }
      return hosts.ownedBy(owner);
    }
    if (actor.user().isPresent()) {
      return hosts.ownedBy(actor.user().get());
    }
    if (actor.admin()) {
      return hosts.all();
    }
    throw new Rejection(Rejection.Kind.INVALID, "MissingHeader", "send X-Studio-Domain-Id and "
        + "X-Studio-User-Profile to list your hosts");
  }

  public Host describe(Actor actor, String hostId) {
    return visible(actor, hostId);
  }

  /** {@link #describe}, reading the execution alongside the instances ({@link HostDirectory#find(HostId, boolean)}). */
  Host describe(Actor actor, String hostId, boolean runAlongside) {
    return visible(actor, hostId, runAlongside);
  }

  /** The host, or 404 when it does not exist or the caller may not see it (no difference shown). */
  public Host visible(Actor actor, String hostId) {
    return visible(actor, hostId, false);
  }

  private Host visible(Actor actor, String hostId, boolean runAlongside) {
    if (!HostId.isValid(hostId)) {
      throw Rejection.invalid("hostId", "'" + hostId + "' is not a host id (h- and 16 hex digits)");
    }
    return hosts.find(new HostId(hostId), runAlongside)
        .filter(h -> h.owner() != null && actor.mayActOn(h.owner()))
        .orElseThrow(() -> Rejection.notFound("no host " + hostId + " of yours"));
  }
}

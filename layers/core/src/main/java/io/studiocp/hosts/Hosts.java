package io.studiocp.hosts;

import io.studiocp.studio.StudioUser;
import java.util.List;
import java.util.Optional;

/** The managed instances, read from EC2 by their tags. */
public interface Hosts {

  List<HostInstance> ownedBy(StudioUser owner);

  List<HostInstance> all();

  /** The instances launched for a host, newest first (more than one only after a failed attempt). */
  List<HostInstance> instancesOf(HostId id);

  /** Any instance by its id, managed or not (the caller checks what it is). */
  Optional<HostInstance> instance(String instanceId);

  /** The warm pool's hosts that are pending or running, in every domain ({@link HostTags#POOL}). */
  List<HostInstance> pooled();
}

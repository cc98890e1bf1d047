package io.studiocp.cleanup;

import io.studiocp.platform.Concurrently;
import io.studiocp.sessions.StudioApp;
import io.studiocp.sessions.StudioSessions;
import io.studiocp.sessions.StudioSpace;
import io.studiocp.ssh.SshRegistry;
import io.studiocp.ssh.SshTarget;
import io.studiocp.studio.StudioUser;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cleanup's SSH side: it reads the control plane's activations and nodes and what runs in the
 * control plane's Studio domains (one ListApps and one ListSpaces sweep per domain), and makes the
 * SSM changes the plan decides.
 */
public final class SshHousekeeping {

  private final SshRegistry registry;
  private final StudioSessions studio;
  private final List<String> domainIds;

  public SshHousekeeping(SshRegistry registry, StudioSessions studio, List<String> domainIds) {
    this.registry = registry;
    this.studio = studio;
    this.domainIds = List.copyOf(domainIds);
  }

  public SshRegistry registry() {
    return registry;
  }

  /** One sweep; when Studio cannot be read, {@code studioRead} is false and {@code failures} says why. */
  public SshSweep sweep(List<String> failures) {
    var nodes = Concurrently.start(registry::nodes);
    var activations = Concurrently.start(registry::activations);
    Set<String> running = new HashSet<>();
    boolean read = true;
    try {
      for (String domainId : domainIds) {
        running.addAll(running(domainId));
      }
    } catch (RuntimeException e) {
      read = false;
      failures.add("reading Studio for the SSH targets failed (no node deregistered for its app): " + e.getMessage());
    }
    return new SshSweep(Concurrently.join(nodes), Concurrently.join(activations), running, read);
  }

  private Set<String> running(String domainId) {
    var spaceRead = Concurrently.start(() -> studio.spaces(domainId));
    List<StudioApp> apps = studio.apps(domainId).stream().filter(StudioApp::running).toList();
    List<StudioSpace> spaces = Concurrently.join(spaceRead);
    Set<String> keys = new HashSet<>();
    for (StudioApp app : apps) {
      app.userProfileName().ifPresent(p -> keys.add(SshSweep.key(new StudioUser(domainId, p),
          SshTarget.app(app.appName()))));
      app.spaceName().ifPresent(name -> spaces.stream().filter(s -> s.name().equals(name))
          .forEach(s -> s.owner().ifPresent(owner -> keys.add(SshSweep.key(new StudioUser(domainId, owner),
              SshTarget.space(name))))));
    }
    return keys;
  }
}

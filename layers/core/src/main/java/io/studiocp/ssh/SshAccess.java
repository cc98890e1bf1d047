package io.studiocp.ssh;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostState;
import io.studiocp.identity.Actor;
import io.studiocp.platform.Rejection;
import io.studiocp.sessions.StudioApp;
import io.studiocp.sessions.StudioSessions;
import io.studiocp.sessions.StudioSpace;
import io.studiocp.studio.StudioUser;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /ssh/activations}, {@code GET /ssh/targets}, {@code DELETE /ssh/targets/{id}} and a
 * target's public key: a user registers their running app or space with SSM (an activation for
 * exactly one registration, short-lived, tagged with them and the target), sees and deregisters
 * their own nodes. Another user's node is a 404, as one that does not exist; admins see all.
 * A Docker host needs no activation: it is an EC2 instance whose agent registers through its
 * instance profile, so asking for one answers the host's instance id.
 */
public final class SshAccess {

  /** SSM's id of a managed node registered by an activation. */
  private static final Pattern NODE_ID = Pattern.compile("mi-[0-9a-f]{17}");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
  /** Activations a user may hold unused and unexpired at once (each is a one-time credential). */
  static final int MAX_OPEN_ACTIVATIONS = 5;

  /**
   * What {@link #activate} answers: an activation to register with, or a host reachable as it is;
   * {@code spaceRemoteAccess} when the space also has SageMaker's own remote access on (the client
   * says so: for VS Code it needs no agent).
   */
  public record Activation(SshTarget target, StudioUser owner, Optional<String> activationId,
      Optional<String> activationCode, Optional<Instant> expiresAt, Optional<String> instanceId, String region,
      boolean spaceRemoteAccess) {}

  private final SshRegistry registry;
  private final StudioSessions studio;
  private final HostFleet fleet;
  private final SshSettings settings;
  private final Clock clock;

  public SshAccess(SshRegistry registry, StudioSessions studio, HostFleet fleet, SshSettings settings, Clock clock) {
    this.registry = registry;
    this.studio = studio;
    this.fleet = fleet;
    this.settings = settings;
    this.clock = clock;
  }

  public Activation activate(Actor actor, SshTarget target) {
    StudioUser user = user(actor);
    checkName(target);
    if (target.kind() == SshTarget.Kind.HOST) {
      HostInstance host = ownHost(user, target.name());
      return new Activation(target, user, Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.of(host.instanceId()), registry.region(), false);
    }
    boolean remoteAccess = requireRunning(user, target);
    Instant now = clock.instant();
    long open = registry.activations().stream()
        .filter(a -> a.owner().map(user::equals).orElse(false) && !a.used() && !a.expired(now)).count();
    if (open >= MAX_OPEN_ACTIVATIONS) {
      throw Rejection.conflict("TooManyActivations", user + " holds " + open + " unused SSH activations; use one "
          + "(sdocker ssh register) or wait until they expire (SshActivationMinutes) before asking for another");
    }
    Instant expires = now.plus(settings.activationLifetime());
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(SshTags.MANAGED, "true");
    tags.put(SshTags.OWNER, user.owner());
    tags.put(SshTags.TARGET, target.tagValue());
    tags.put(SshTags.REQUESTED_AT, now.toString());
    SshRegistry.Created created = registry.create(new SshRegistry.NewActivation(
        "sdocker ssh: " + user.owner() + " " + target.tagValue(),
        user.userProfileName() + "-" + target.kind().tagPrefix() + "-" + target.name(), expires, tags));
    return new Activation(target, user, Optional.of(created.activationId()), Optional.of(created.activationCode()),
        Optional.of(expires), Optional.empty(), registry.region(), remoteAccess);
  }

  /** The caller's registered nodes, online or not; with {@code all}, every user's (admins only). */
  public List<SshNode> targets(Actor actor, boolean all) {
    List<SshNode> nodes;
    if (all) {
      if (!actor.admin()) {
        throw Rejection.forbidden("only admins may list every user's SSH targets (all=true)");
      }
      nodes = registry.nodes();
    } else {
      nodes = registry.nodesOf(user(actor));
    }
    return nodes.stream().sorted(Comparator.comparing(SshNode::registeredAt, Comparator.nullsFirst(
        Comparator.naturalOrder())).thenComparing(SshNode::instanceId))
        .toList();
  }

  /** Deregisters one of the caller's nodes (an admin: anyone's); SSM stops reaching it at once. */
  public SshNode deregister(Actor actor, String instanceId) {
    SshNode node = visible(actor, instanceId);
    registry.deregister(node.instanceId());
    return node;
  }

  /** Puts the caller's public key on their node, where its {@code sdocker ssh register} picks it up. */
  public SshNode setPublicKey(Actor actor, String instanceId, String publicKeyLine) {
    String key = PublicKeys.normalise(publicKeyLine);
    SshNode node = visible(actor, instanceId);
    // With studiocp:managed again: the API may write tags only alongside it (its role's condition).
    registry.tag(node.instanceId(), Map.of(SshTags.PUBLIC_KEY, key, SshTags.MANAGED, "true"));
    return node.withTags(Map.of(SshTags.PUBLIC_KEY, key));
  }

  private SshNode visible(Actor actor, String instanceId) {
    if (instanceId == null || !NODE_ID.matcher(instanceId).matches()) {
      throw Rejection.invalid("id", "'" + instanceId + "' is not a managed node id (mi- and 17 hex digits, as "
          + "sdocker ssh list shows)");
    }
    return registry.node(instanceId)
        .filter(n -> n.owner().map(actor::mayActOn).orElse(actor.admin()))
        .orElseThrow(() -> Rejection.notFound("no SSH target " + instanceId + " of yours"));
  }

  private HostInstance ownHost(StudioUser user, String hostId) {
    HostInstance host = fleet.liveInstancesOf(new HostId(hostId)).stream()
        .filter(i -> i.owner().map(user::equals).orElse(false))
        .findFirst()
        .orElseThrow(() -> Rejection.notFound("no host " + hostId + " of yours"));
    if (host.state() != HostState.READY) {
      throw Rejection.conflict("HostNotReady", "host " + hostId + " is " + host.state() + "; its SSM agent answers "
          + "only while it runs (sdocker start-host " + hostId + ")");
    }
    return host;
  }

  /** Refuses a target that does not run; true when it is a space with SageMaker's remote access on. */
  private boolean requireRunning(StudioUser user, SshTarget target) {
    List<StudioApp> apps = studio.apps(user.domainId());
    if (target.kind() == SshTarget.Kind.APP) {
      List<StudioApp> mine = apps.stream().filter(a -> a.userProfileName().map(user.userProfileName()::equals)
          .orElse(false)).filter(StudioApp::running).toList();
      if (mine.stream().noneMatch(a -> a.appName().equals(target.name()))) {
        throw Rejection.notFound("no running app " + target.name() + " of " + user + "; running: "
            + names(mine.stream().map(StudioApp::appName).distinct().toList())
            + " (an app in a space: {\"target\": {\"space\": \"<space>\"}})");
      }
      return false;
    }
    Optional<StudioSpace> space = studio.space(user.domainId(), target.name()).filter(s -> s.ownedBy(user.userProfileName()));
    if (space.isEmpty()) {
      throw Rejection.notFound("no space " + target.name() + " of yours");
    }
    if (apps.stream().noneMatch(a -> a.spaceName().map(target.name()::equals).orElse(false) && a.running())) {
      throw Rejection.conflict("SpaceNotRunning", "space " + target.name() + " runs no app; start it first "
          + "(sdocker studio up --space " + target.name() + ")");
    }
    return space.get().remoteAccess();
  }

  private static void checkName(SshTarget target) {
    boolean ok = target.kind() == SshTarget.Kind.HOST ? HostId.isValid(target.name())
        : target.name() != null && NAME.matcher(target.name()).matches();
    if (!ok) {
      throw Rejection.invalid("target." + target.kind().field(), "'" + target.name() + "' is not "
          + switch (target.kind()) {
            case HOST -> "a host id (h- and 16 hex digits)";
            case APP -> "an app name (1 to 63 letters, digits and hyphens, such as default)";
            case SPACE -> "a space name (1 to 63 letters, digits and hyphens, such as my-project)";
          });
    }
  }

  private static String names(List<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  private static StudioUser user(Actor actor) {
    return actor.user().orElseThrow(() -> new Rejection(Rejection.Kind.INVALID, "MissingHeader",
        "send X-Studio-Domain-Id and X-Studio-User-Profile (sdocker: run it in Studio, or --domain-id and "
            + "--user-profile) to say which Studio user you are"));
  }
}

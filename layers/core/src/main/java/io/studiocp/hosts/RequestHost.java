package io.studiocp.hosts;

import io.studiocp.identity.Actor;
import io.studiocp.platform.Concurrently;
import io.studiocp.platform.Rejection;
import io.studiocp.studio.StudioDirectory;
import io.studiocp.studio.StudioDomain;
import io.studiocp.studio.StudioUser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** {@code POST /hosts}: checks a request completely, then starts the provisioning workflow. */
public final class RequestHost {

  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** How long a slot's host may stay unseen before the slot counts as left behind. */
  static final Duration STALE_SLOT = Duration.ofMinutes(10);

  private final HostPolicy policy;
  private final StudioDirectory directory;
  private final InstanceTypes instanceTypes;
  private final Subnets subnets;
  private final HostDirectory hosts;
  private final ProvisioningWorkflow workflow;
  private final HostSlots slots;
  private final StudioPaths paths;
  private final Clock clock;

  public RequestHost(HostPolicy policy, StudioDirectory directory, InstanceTypes instanceTypes,
      Subnets subnets, HostDirectory hosts, ProvisioningWorkflow workflow, HostSlots slots, StudioPaths paths,
      Clock clock) {
    this.policy = policy;
    this.directory = directory;
    this.instanceTypes = instanceTypes;
    this.subnets = subnets;
    this.hosts = hosts;
    this.workflow = workflow;
    this.slots = slots;
    this.paths = paths;
    this.clock = clock;
  }

  /**
   * @param idempotencyKey names the host: a retried (or replayed) request with the same key and
   *     draft gets the same host, never a second one
   */
  public Host request(Actor actor, HostRequest.Draft draft, String idempotencyKey) {
    StudioUser user = actor.user().orElseThrow(() -> new Rejection(Rejection.Kind.INVALID, "MissingHeader",
        "a host belongs to a Studio user profile: send X-Studio-Domain-Id and X-Studio-User-Profile "
            + "(sdocker reads them from /opt/ml/metadata/resource-metadata.json)"));
    String key = idempotencyKey;
    if (key == null || !IDEMPOTENCY_KEY.matcher(key).matches()) {
      throw Rejection.invalid("Idempotency-Key", "must be 1 to 64 letters, digits, '-' or '_'");
    }
    HostRequest request = policy.complete(draft);
    HostId id = HostId.derive(user, key);

    // The readings a new host is checked with start alongside the one that tells whether it is new
    // (all of them reads; a retried request just leaves them unused). They are taken in the order
    // the checks were made one after another, so the first refusal is the one it was.
    // A new host has no instance: its execution is read alongside (a retry that finds one read it for nothing).
    var existingLookup = Concurrently.start(() -> hosts.find(id, true));
    var typeLookup = Concurrently.start(() -> instanceTypes.describe(request.instanceType()));
    var domainLookup = Concurrently.start(() -> directory.domain(user.domainId()));
    var subnetZoneLookup = request.subnetId() == null ? null
        : Concurrently.start(() -> subnets.availabilityZones(List.of(request.subnetId())));
    var activeLookup = Concurrently.start(() -> hosts.active(user, id));
    CompletableFuture<List<HostSlots.Slot>> holdersLookup = domainLookup.thenCompose(domain -> domain.isEmpty()
        ? CompletableFuture.completedFuture(null)
        : Concurrently.start(() -> slots.holders(user, domain.get().vpcId())));
    Optional<Host> existing = Concurrently.join(existingLookup);
    if (existing.isPresent()) {
      workflow.find(id).ifPresent(run -> requireSameRequest(run.input().request(), request));
      return existing.get();
    }

    checkInstanceType(request, Concurrently.join(typeLookup));
    StudioDomain domain = Concurrently.join(domainLookup).orElseThrow(() ->
        Rejection.forbidden("domain " + user.domainId() + " does not exist"));
    if (request.subnetId() != null) {
      checkSubnet(request, domain, subnetZoneLookup);
    }
    List<Host> active = Concurrently.join(activeLookup);
    if (active.size() >= policy.maxHostsPerUser()) {
      throw limitReached(active);
    }
    claimSlot(user, id, domain.vpcId(), Concurrently.join(holdersLookup));
    try {
      workflow.start(new ProvisioningInput(id, user, request));
    } catch (ProvisioningWorkflow.RequestConflict e) {
      slots.release(id);
      throw reusedKey();
    } catch (RuntimeException e) {
      slots.release(id);
      throw e;
    }
    Instant now = clock.instant();
    return new Host(id, user, HostState.PROVISIONING, request.instanceType(), null,
        request.subnetId(), null, policy.dockerPort(), request.extraPorts(),
        paths.certDirectory(user, id), now, null, now.plus(Duration.ofHours(request.ttlHours())), null, null, null,
        request.volumeGiB());
  }

  /**
   * Takes one of the user's slots for the host: the count above is read, then acted on, so two
   * requests at once could both pass it; a slot cannot be taken twice. A slot held for longer than
   * {@link #STALE_SLOT} by a host that is not active (it failed before it launched, or its release
   * was missed) is given back first; a younger one may belong to a request still starting its
   * workflow, which listings do not show yet.
   */
  private void claimSlot(StudioUser user, HostId id, String vpcId, List<HostSlots.Slot> holders) {
    int limit = policy.maxHostsPerUser();
    Instant now = clock.instant();
    if (slots.claim(user, id, vpcId, limit, now, holders).isPresent()) {
      return;
    }
    List<Host> active = hosts.active(user, id);  // read again: the count above may predate the other requests
    Set<HostId> live = active.stream().map(Host::id).collect(Collectors.toSet());
    boolean freed = false;
    for (HostSlots.Slot held : slots.holders(user, vpcId)) {
      if (!held.host().equals(id) && !live.contains(held.host()) && held.claimedAt().plus(STALE_SLOT).isBefore(now)) {
        slots.release(held.host());
        freed = true;
      }
    }
    if (!freed || slots.claim(user, id, vpcId, limit, now).isEmpty()) {
      throw limitReached(active);
    }
  }

  private Rejection limitReached(List<Host> active) {
    return Rejection.conflict("HostLimitExceeded", "you already have " + Math.max(active.size(),
        policy.maxHostsPerUser()) + " host(s)" + (active.isEmpty() ? " being requested" : " ("
        + active.stream().map(h -> h.id().value()).collect(Collectors.joining(", ")) + ")")
        + " and the limit is " + policy.maxHostsPerUser() + "; terminate one with "
        + "'sdocker terminate-host ID' or ask an admin to raise MaxHostsPerUser");
  }

  private void checkInstanceType(HostRequest request, Optional<InstanceTypeInfo> described) {
    InstanceTypeInfo info = described.orElseThrow(() ->
        Rejection.invalid("instanceType", request.instanceType() + " does not exist in this region"));
    if (info.isArm() && info.nvidiaGpu()) {
      throw Rejection.invalid("instanceType", request.instanceType() + " is an arm64 GPU type; "
          + "no ECS-optimized GPU image exists for arm64, choose an x86_64 GPU type such as g5.xlarge");
    }
    if (info.otherAccelerator()) {
      throw Rejection.invalid("instanceType", request.instanceType() + " has Inferentia, "
          + "Trainium or FPGA accelerators, which Docker hosts do not support; choose a CPU or NVIDIA GPU type");
    }
  }

  private void checkSubnet(HostRequest request, StudioDomain domain, CompletableFuture<Map<String, String>> zones) {
    if (!domain.subnetIds().contains(request.subnetId())) {
      throw Rejection.invalid("subnetId", request.subnetId() + " is not a subnet of domain "
          + domain.domainId() + "; use one of " + String.join(", ", domain.subnetIds())
          + " or leave subnetId out");
    }
    String zone = Concurrently.join(zones).get(request.subnetId());
    if (zone == null) {
      throw Rejection.invalid("subnetId", request.subnetId() + " does not exist");
    }
    if (!instanceTypes.offeredIn(request.instanceType(), zone)) {
      throw Rejection.invalid("subnetId", request.instanceType() + " is not offered in "
          + zone + " (" + request.subnetId() + "); choose another subnet or leave subnetId out");
    }
  }

  private static void requireSameRequest(HostRequest original, HostRequest retried) {
    if (!original.equals(retried)) {
      throw reusedKey();
    }
  }

  private static Rejection reusedKey() {
    return Rejection.conflict("IdempotencyKeyReused", "this Idempotency-Key was used for a "
        + "different request; send a new key for a new host");
  }
}

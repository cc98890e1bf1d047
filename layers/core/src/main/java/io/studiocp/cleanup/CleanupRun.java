package io.studiocp.cleanup;

import io.studiocp.cleanup.CleanupAction.Kind;
import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.pool.KeepPool;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.ProvisioningWorkflow;
import io.studiocp.platform.Concurrently;
import io.studiocp.police.Delivery;
import io.studiocp.police.MailRoom;
import io.studiocp.police.OwnerEmails;
import io.studiocp.police.StudioInventory;
import io.studiocp.ssh.SshRegistry;
import io.studiocp.studio.StudioUser;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One cleanup run: one sweep of the hosts, the running executions and the security groups; a
 * plan ({@link CleanupPlanner}); then the changes, one call per kind of change and reason (every
 * idle host of a run is stopped by one StopInstances); then one note per affected owner and one
 * digest for the admins. Nothing is stopped or terminated without a line in both.
 */
public final class CleanupRun {

  private static final int OWNERS_AT_ONCE = 16;

  private final HostFleet fleet;
  private final ProvisioningWorkflow workflow;
  private final ManagedGroups groups;
  private final StudioInventory studio;
  private final OwnerEmails emails;
  private final MailRoom mail;
  private final CleanupPlanner planner;
  private final List<String> adminEmails;
  private final Clock clock;
  private final Optional<SshHousekeeping> ssh;
  private Optional<Supplier<KeepPool.Report>> pool = Optional.empty();

  public CleanupRun(HostFleet fleet, ProvisioningWorkflow workflow, ManagedGroups groups, StudioInventory studio,
      OwnerEmails emails, MailRoom mail, CleanupSettings settings, List<String> adminEmails, Clock clock) {
    this(fleet, workflow, groups, studio, emails, mail, settings, adminEmails, clock, Optional.empty());
  }

  /** With {@code ssh}, the run also tags, deregisters and deletes what SSH left behind. */
  public CleanupRun(HostFleet fleet, ProvisioningWorkflow workflow, ManagedGroups groups, StudioInventory studio,
      OwnerEmails emails, MailRoom mail, CleanupSettings settings, List<String> adminEmails, Clock clock,
      Optional<SshHousekeeping> ssh) {
    this.ssh = ssh;
    this.fleet = fleet;
    this.workflow = workflow;
    this.groups = groups;
    this.studio = studio;
    this.emails = emails;
    this.mail = mail;
    this.planner = new CleanupPlanner(settings);
    this.adminEmails = List.copyOf(adminEmails);
    this.clock = clock;
  }

  /**
   * The run also keeps the warm pool within its sizes and hours (a real run only: a dry run changes
   * nothing), by {@code keeper} ({@link KeepPool#keep}, given by the function that may launch pool
   * hosts; others that run the cleanup, the admin console, do not keep the pool).
   */
  public CleanupRun keepingPool(Supplier<KeepPool.Report> keeper) {
    this.pool = Optional.of(keeper);
    return this;
  }

  public CleanupReport run(boolean dryRun) {
    Instant now = clock.instant();
    mail.startRun();
    HostFleet.Census census = fleet.census();
    List<HostInstance> instances = census.hosts();
    Set<HostId> running = new HashSet<>(workflow.running());
    List<CleanupAction> actions = new ArrayList<>(planner.plan(instances, census.pooled(), running, groups.all(), now));
    List<String> failures = new ArrayList<>();
    ssh.ifPresent(s -> actions.addAll(planner.planSsh(s.sweep(failures), now)));
    if (!dryRun) {
      apply(actions, instances, now, failures);
      pool.ifPresent(keeper -> keepPool(keeper, actions, failures));
    }
    List<Delivery> deliveries = actions.isEmpty() ? List.of() : tell(actions, instances, now, failures, dryRun);
    return new CleanupReport(now.toString(), dryRun, instances.size(), actions, failures, deliveries);
  }

  private void apply(List<CleanupAction> actions, List<HostInstance> instances, Instant now, List<String> failures) {
    Map<String, HostInstance> byId = instances.stream()
        .collect(Collectors.toMap(HostInstance::instanceId, Function.identity(), (a, b) -> a));
    Map<String, List<CleanupAction>> batches = new LinkedHashMap<>();
    actions.forEach(a -> batches.computeIfAbsent(a.kind() + "\u0000" + a.reason(), k -> new ArrayList<>()).add(a));
    for (List<CleanupAction> batch : batches.values()) {
      Kind kind = batch.getFirst().kind();
      String reason = batch.getFirst().reason();
      List<HostInstance> hosts = batch.stream().map(CleanupAction::resourceId).filter(byId::containsKey)
          .map(byId::get).toList();
      try {
        switch (kind) {
          // Marked once the owner's note is delivered (tell): a deferred or refused note goes again next run.
          // A host with no owner to tell (only the admins hear of it) is marked now.
          case WARN_EXPIRY -> fleet.setMarks(batch.stream().filter(a -> a.owner() == null)
              .map(CleanupAction::resourceId).filter(byId::containsKey).map(byId::get).toList(),
              Map.of(CleanupPlanner.EXPIRY_WARNED, now.toString()));
          case STOP_EXPIRED, STOP_IDLE, STOP_STALLED_START -> fleet.stop(hosts, reason, now);
          case TERMINATE_EXPIRED -> fleet.terminate(hosts);
          case TERMINATE_ORPHAN -> fleet.fail(hosts, reason);
          case STOP_ORPHAN_EXECUTION -> batch.forEach(a -> workflow.cancel(new HostId(a.hostId()), reason));
          case DELETE_SECURITY_GROUP -> batch.stream().map(CleanupAction::resourceId)
              .filter(groupId -> !groups.delete(groupId))
              .forEach(groupId -> failures.add(groupId + " is in use after all; kept"));
          case DETACH_EFS_GROUP -> batch.forEach(a -> groups.detachFromMountTargets(a.resourceId()));
          case TAG_SSH_NODE, DEREGISTER_SSH_NODE, DELETE_SSH_ACTIVATION -> applySsh(batch, failures);
          case LAUNCH_POOL_HOST, RETIRE_POOL_HOST, TICKET_POOL_HOST -> { } // done by the keeper (keepPool)
        }
      } catch (RuntimeException e) {
        failures.add(kind.label() + " for " + batch.size() + " item(s) failed: " + e.getMessage());
      }
    }
  }

  /** The pool's changes are made by the keeper itself; they join the report and the admins' digest. */
  private static void keepPool(Supplier<KeepPool.Report> keeper, List<CleanupAction> actions, List<String> failures) {
    try {
      KeepPool.Report report = keeper.get();
      for (KeepPool.Change change : report.changes()) {
        Kind kind = switch (change.action()) {
          case LAUNCHED -> Kind.LAUNCH_POOL_HOST;
          case RETIRED -> Kind.RETIRE_POOL_HOST;
          case TICKETED -> Kind.TICKET_POOL_HOST;
        };
        actions.add(new CleanupAction(kind, null, change.instanceId(), null, change.reason(),
            change.domainId() + " " + change.instanceType()));
      }
      report.problems().forEach(p -> failures.add("the warm pool of " + p.domainId() + " " + p.instanceType()
          + " could not be kept: " + p.reason()));
    } catch (RuntimeException e) {
      failures.add("the warm pool could not be kept: " + e.getMessage());
    }
  }

  /** SSM takes one node or activation per call: each is tried, and a failure names it. */
  private void applySsh(List<CleanupAction> batch, List<String> failures) {
    SshRegistry registry = ssh.orElseThrow().registry();
    for (CleanupAction a : batch) {
      try {
        switch (a.kind()) {
          case TAG_SSH_NODE -> registry.tag(a.resourceId(), a.tags());
          case DEREGISTER_SSH_NODE -> registry.deregister(a.resourceId());
          case DELETE_SSH_ACTIVATION -> registry.deleteActivation(a.resourceId());
          default -> throw new IllegalStateException(a.kind().name());
        }
      } catch (RuntimeException e) {
        failures.add(a.kind().label() + " for " + a.resourceId() + " failed: " + e.getMessage());
      }
    }
  }

  /** The expiry warnings among the delivered notes, marked so that they are not repeated. */
  private void markWarned(List<CleanupAction> told, Map<String, HostInstance> byId, Instant now, List<String> failures) {
    List<HostInstance> warned = told.stream().filter(a -> a.kind() == Kind.WARN_EXPIRY)
        .map(CleanupAction::resourceId).filter(byId::containsKey).map(byId::get).toList();
    if (warned.isEmpty()) {
      return;
    }
    try {
      fleet.setMarks(warned, Map.of(CleanupPlanner.EXPIRY_WARNED, now.toString()));
    } catch (RuntimeException e) {
      synchronized (failures) {
        failures.add(Kind.WARN_EXPIRY.label() + " for " + warned.size() + " item(s) failed: " + e.getMessage());
      }
    }
  }

  private List<Delivery> tell(List<CleanupAction> actions, List<HostInstance> instances, Instant now,
      List<String> failures, boolean dryRun) {
    Map<String, HostInstance> byId = instances.stream()
        .collect(Collectors.toMap(HostInstance::instanceId, Function.identity(), (a, b) -> a));
    List<Delivery> deliveries = new ArrayList<>();
    Map<StudioUser, List<CleanupAction>> byOwner = new LinkedHashMap<>();
    actions.stream().filter(a -> a.owner() != null && a.kind().tellsOwner())
        .forEach(a -> byOwner.computeIfAbsent(a.owner(), o -> new ArrayList<>()).add(a));
    if (!byOwner.isEmpty()) {
      Map<StudioUser, Map<String, String>> profileTags = studio.profileTags(byOwner.keySet());
      List<CleanupAction> told = Collections.synchronizedList(new ArrayList<>());
      // Owners side by side (their addresses, their notes); the deliveries in the owners' order.
      deliveries.addAll(Concurrently.map(List.copyOf(byOwner.entrySet()), OWNERS_AT_ONCE, e -> {
        OwnerEmails.Resolution to = emails.resolve(e.getKey(), profileTags.getOrDefault(e.getKey(), Map.of()));
        Delivery delivery = mail.deliver(CleanupMail.owner(to.addresses(), e.getKey().userProfileName(), e.getValue(),
            dryRun), dryRun);
        if (delivery.delivered()) {
          told.addAll(e.getValue());
        }
        return delivery;
      }));
      // The warnings of every delivered note marked at once (one call, not one per owner).
      markWarned(told, byId, now, failures);
    }
    deliveries.add(mail.deliverToAdmins(CleanupMail.admins(adminEmails, actions, failures, dryRun), dryRun));
    return deliveries;
  }
}

package io.studiocp.police;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.pool.PoolCosts;
import io.studiocp.hosts.pool.PoolSettings;
import io.studiocp.platform.Concurrently;
import io.studiocp.pricing.PriceList;
import io.studiocp.studio.StudioUser;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One police run: read what runs, decide (PolicePlanner), stop what is due, send each owner one
 * digest and the admins theirs, and mark what was told so that the next run knows. A dry run
 * decides and renders the same, and changes nothing: no mail, no tag, no verification request.
 */
public final class PoliceRun {

  /**
   * Owners told side by side: their address look-ups and their mail. SES limits a rate (messages
   * a second, the account's quota), not calls at once: the mail room paces the messages to it.
   */
  private static final int OWNERS_AT_ONCE = 32;

  private final StudioInventory studio;
  private final HostFleet fleet;
  private final OwnerEmails emails;
  private final MailRoom mail;
  private final PoliceActions actions;
  private final PolicePolicy policy;
  private final PolicePlanner planner;
  private final Digests digests;
  private final List<String> domainIds;
  private final List<String> admins;
  private final Clock clock;
  private final PoolCosts pool;

  public PoliceRun(StudioInventory studio, HostFleet fleet, OwnerEmails emails, MailRoom mail, PoliceActions actions,
      PolicePolicy policy, PriceList prices, List<String> domainIds, List<String> admins, Clock clock) {
    this(studio, fleet, emails, mail, actions, policy, prices, domainIds, admins, clock,
        new PoolCosts(PoolSettings.none(), prices, 0));
  }

  /** @param pool what the warm pool costs, for the admins' digest (its waiting hosts come from the run's one fleet read) */
  public PoliceRun(StudioInventory studio, HostFleet fleet, OwnerEmails emails, MailRoom mail, PoliceActions actions,
      PolicePolicy policy, PriceList prices, List<String> domainIds, List<String> admins, Clock clock, PoolCosts pool) {
    this.pool = pool;
    this.studio = studio;
    this.fleet = fleet;
    this.emails = emails;
    this.mail = mail;
    this.actions = actions;
    this.policy = policy;
    this.planner = new PolicePlanner(policy, prices);
    this.digests = new Digests(policy);
    this.domainIds = List.copyOf(domainIds);
    this.admins = List.copyOf(admins);
    this.clock = clock;
  }

  public RunReport run(boolean dryRun) {
    Instant now = clock.instant();
    mail.startRun();
    Instant startedBefore = now.minus(policy.shortestLongRunning());
    // While later pages are read, the owners of the apps already read (and of the hosts) who will
    // be told have their profiles' tags read ahead, a hundred a call.
    ProfileTagsAhead profiles = new ProfileTagsAhead(studio);
    var appsRead = Concurrently.start(() -> studio.runningApps(domainIds, startedBefore,
        tagged -> profiles.offer(ownersToTell(tagged, now))));
    PolicedHosts hosts = PolicedHosts.read(fleet, domainIds);
    profiles.offer(ownersToTell(hosts.resources(), now));
    List<PolicedResource> resources = new ArrayList<>(hosts.resources());
    resources.addAll(Concurrently.join(appsRead));
    List<PlannedItem> plan = planner.plan(resources, now);

    List<String> failures = new ArrayList<>();
    List<PlannedItem> told = new ArrayList<>();
    for (PlannedItem item : plan) {
      if (item.action() == PoliceAction.STOP && !dryRun && !stop(item, hosts, failures)) {
        continue;
      }
      if (item.action().notifies()) {
        told.add(item);
      }
    }

    List<Delivery> deliveries = new ArrayList<>();
    Map<StudioUser, List<PlannedItem>> byOwner = new LinkedHashMap<>();
    told.stream().filter(i -> i.resource().owner().isPresent())
        .forEach(i -> byOwner.computeIfAbsent(i.resource().owner().get(), k -> new ArrayList<>()).add(i));
    Map<StudioUser, Map<String, String>> profileTags = byOwner.isEmpty() ? Map.of()
        : profiles.tagsOf(byOwner.keySet());
    // Owners side by side (their addresses, their digests), each one's resources marked as soon
    // as a call's worth is delivered; the outcomes kept in the owners' order.
    Marks marks = new Marks(actions, hosts, now);
    List<OwnerOutcome> outcomes = Concurrently.map(List.copyOf(byOwner.entrySet()), OWNERS_AT_ONCE, e -> {
      OwnerOutcome outcome = tell(e.getKey(), e.getValue(), profileTags.getOrDefault(e.getKey(), Map.of()), now,
          dryRun);
      if (outcome.delivery().filter(Delivery::delivered).isPresent()) {
        marks.delivered(outcome.items());
      }
      return outcome;
    });
    for (OwnerOutcome outcome : outcomes) {
      outcome.failure().ifPresent(failures::add);
      outcome.delivery().ifPresent(deliveries::add);
    }

    List<PlannedItem> shared = told.stream().filter(i -> i.resource().owner().isEmpty()).toList();
    boolean eventful = !told.isEmpty() || !failures.isEmpty()
        || deliveries.stream().anyMatch(d -> !d.delivered());
    if (!admins.isEmpty() && (eventful || dryRun)) {
      Delivery adminDigest = mail.deliverToAdmins(digests.forAdmins(admins, plan, deliveries, failures,
          pool.of(hosts.pooled(), domainIds, now), now, dryRun), dryRun);
      deliveries.add(adminDigest);
      if (adminDigest.delivered()) {
        marks.delivered(shared);
      } else if (!dryRun) {
        failures.add("the admin digest was not delivered: " + adminDigest.detail());
      }
    }
    failures.addAll(marks.finish());
    return report(now, dryRun, plan, deliveries, failures);
  }

  /** The owners of these resources whom this run will tell something (so whose addresses it needs). */
  private List<StudioUser> ownersToTell(List<PolicedResource> resources, Instant now) {
    return planner.plan(resources, now).stream()
        .filter(i -> i.action().notifies())
        .map(i -> i.resource().owner())
        .flatMap(Optional::stream)
        .distinct()
        .toList();
  }

  private record OwnerOutcome(List<PlannedItem> items, Optional<Delivery> delivery, Optional<String> failure) {}

  private OwnerOutcome tell(StudioUser owner, List<PlannedItem> items, Map<String, String> profileTags, Instant now,
      boolean dryRun) {
    OwnerEmails.Resolution to = emails.resolve(owner, profileTags);
    if (to.addresses().isEmpty()) {
      return new OwnerOutcome(items, Optional.empty(), Optional.of("no address for " + owner
          + " and no admin address: nobody was told about " + items.size() + " resource(s)"));
    }
    Optional<String> failure = to.source() == OwnerEmails.Source.ADMINS
        ? Optional.of("no address for " + owner + " (no email tag, SSO value or pattern): their reminder went to the admins")
        : Optional.empty();
    return new OwnerOutcome(items, Optional.of(mail.deliver(digests.forUser(owner, to.addresses(), items, now), dryRun)),
        failure);
  }

  private boolean stop(PlannedItem item, PolicedHosts hosts, List<String> failures) {
    PolicedResource r = item.resource();
    try {
      switch (r.kind()) {
        case APP, SPACE_APP -> actions.deleteApp(r);
        case HOST -> hosts.stop(r, policy.enforcement().hosts(), clock.instant());
      }
      return true;
    } catch (RuntimeException e) {
      failures.add("could not stop " + r.kind().label() + " " + r.name() + ": " + e.getMessage());
      return false;
    }
  }

  private static RunReport report(Instant now, boolean dryRun, List<PlannedItem> plan, List<Delivery> deliveries,
      List<String> failures) {
    Map<String, Integer> counts = new TreeMap<>();
    List<RunReport.Item> items = new ArrayList<>();
    for (PlannedItem item : plan) {
      counts.merge(item.action().name(), 1, Integer::sum);
      PolicedResource r = item.resource();
      items.add(new RunReport.Item(r.kind().name(), r.id(), r.name(),
          r.owner().map(StudioUser::owner).orElse(null), r.instanceType(), item.age().toMinutes(),
          item.action().name(), item.stopAt().map(Instant::toString).orElse(null),
          item.costSoFarUsd().map(c -> Math.round(c * 100) / 100.0).orElse(null)));
    }
    return new RunReport(now.toString(), dryRun, plan.size(), counts, items, deliveries, List.copyOf(failures));
  }
}

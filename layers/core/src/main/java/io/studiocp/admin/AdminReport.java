package io.studiocp.admin;

import io.studiocp.hosts.pool.PoolCosts;
import java.util.List;
import java.util.Map;

/**
 * Everything that runs across the managed domains, per user, with what it costs: the admin
 * console's {@code report} and {@code GET /admin/report}. Costs are estimates from the price list
 * (US dollars; {@code null} when the type is not priced); ages in hours.
 */
public record AdminReport(String at, List<String> domains, List<User> users, Shared shared, List<Failure> failures,
    Totals totals, List<Spender> topSpenders, List<String> notes, Ssh ssh, List<PoolCosts.DomainPoolCost> pools) {

  public AdminReport(String at, List<String> domains, List<User> users, Shared shared, List<Failure> failures,
      Totals totals, List<Spender> topSpenders, List<String> notes) {
    this(at, domains, users, shared, failures, totals, topSpenders, notes, Ssh.NONE, List.of());
  }

  public AdminReport withSsh(Ssh ssh) {
    return new AdminReport(at, domains, users, shared, failures, totals, topSpenders, notes, ssh, pools);
  }

  /**
   * With the warm pool: per domain, the pool hosts waiting for a claim (type, how long, their cost
   * an hour and so far) and the configured pools' cost a month. Waiting hosts are nobody's: they are
   * not in the users, the totals or the top spenders.
   */
  public AdminReport withPools(List<PoolCosts.DomainPoolCost> pools) {
    return new AdminReport(at, domains, users, shared, failures, totals, topSpenders, notes, ssh, List.copyOf(pools));
  }

  /**
   * SSH over SSM: every registered node ({@code mi-…}) with its owner, target, agent state and what
   * the advanced-instances tier has cost for it, and the activations not yet used.
   */
  public record Ssh(List<SshTarget> targets, List<SshActivation> activations, double advancedTierHourlyUsd,
      double costSoFarUsd, double costPerDayUsd) {

    public static final Ssh NONE = new Ssh(List.of(), List.of(), 0, 0, 0);
  }

  /** A registered node: the advanced tier charges per hour it stays registered, online or not. */
  public record SshTarget(String id, String owner, String target, String pingStatus, String lastPing,
      String registeredAt, double registeredHours, double costSoFarUsd, double costPerDayUsd) {}

  /** An activation not yet used or deleted (the cleanup deletes it once expired). */
  public record SshActivation(String activationId, String owner, String target, String expiresAt, boolean expired,
      int registrations) {}

  /** One user's running things, and what they cost. */
  public record User(String owner, String domainId, String userProfile, List<App> apps, List<Space> spaces,
      List<HostEntry> hosts, Home homeUsage, double costSoFarUsd, double costPerDayUsd) {}

  /** The user's home directory on EFS, as the home usage job last measured it. */
  public record Home(long bytes, String readable, String measuredAt) {}

  /** What belongs to no user: shared spaces and their apps (the admins are told of them). */
  public record Shared(List<App> apps, List<Space> spaces, double costSoFarUsd, double costPerDayUsd) {}

  /** A Studio app with an instance (of a user profile, or of a space). */
  public record App(String kind, String domainId, String name, String appType, String appName, String userProfile,
      String space, String instanceType, String startedAt, double ageHours, Double costSoFarUsd, Double costPerDayUsd,
      Map<String, String> policeMarks) {}

  /** A space, as ListSpaces shows it. */
  public record Space(String domainId, String name, String sharingType, String owner, String status,
      Map<String, String> policeMarks) {}

  /** A Docker host: its state, type, age, time to live and last activity. */
  public record HostEntry(String hostId, String instanceId, String state, String instanceType, String createdAt,
      Double ageHours, String expiresAt, Double ttlHoursLeft, String lastActiveAt, String lastActiveSignal,
      String stopReason, Double costSoFarUsd, Double costPerDayUsd, Map<String, String> policeMarks) {}

  /** A host that failed in the last 24 hours, and why. */
  public record Failure(String hostId, String owner, String instanceId, String at, String reason) {}

  /** What runs and what it costs, in all, per instance family and per user. */
  public record Totals(int apps, int spaces, int hosts, int runningHosts, double costSoFarUsd, double costPerDayUsd,
      Map<String, Cost> byInstanceFamily, Map<String, Cost> byUser) {}

  /** How many, what they cost so far and what they cost per day at this rate. */
  public record Cost(int count, double costSoFarUsd, double costPerDayUsd) {}

  /** A user (or "shared") by what they spend per day. */
  public record Spender(String owner, double costPerDayUsd, double costSoFarUsd, int apps, int hosts) {}
}

package io.studiocp.admin;

import io.studiocp.pricing.PriceList;
import io.studiocp.ssh.SshActivation;
import io.studiocp.ssh.SshNode;
import io.studiocp.ssh.SshRegistry;
import io.studiocp.ssh.SshTarget;
import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's SSH section: the control plane's nodes and open activations, and the
 * advanced-instances tier's cost (SSM charges each on-premises node per hour while it is
 * registered; Session Manager needs that tier for hybrid nodes). Two SSM sweeps, no call per user.
 */
final class SshReport {

  /** The price list's name for the advanced-instances tier's node-hour. */
  static final String ADVANCED_TIER = "ssm.advanced-instance";

  private final SshRegistry registry;
  private final double hourly;

  SshReport(SshRegistry registry, PriceList prices) {
    this.registry = registry;
    this.hourly = prices.hourly(ADVANCED_TIER).orElse(0.0);
  }

  AdminReport.Ssh build(Instant now) {
    List<AdminReport.SshTarget> targets = new ArrayList<>();
    double soFar = 0;
    for (SshNode node : registry.nodes()) {
      double hours = node.registeredFor(now).toSeconds() / 3600.0;
      double cost = round(hours * hourly);
      soFar += cost;
      targets.add(new AdminReport.SshTarget(node.instanceId(), node.owner().map(StudioUser::owner).orElse(null),
          node.target().map(SshTarget::tagValue).orElse(null), node.pingStatus(),
          node.lastPing() == null ? null : node.lastPing().toString(),
          node.registeredAt() == null ? null : node.registeredAt().toString(), round(hours), cost,
          round(24 * hourly)));
    }
    List<AdminReport.SshActivation> open = new ArrayList<>();
    for (SshActivation a : registry.activations()) {
      if (a.registrations() < a.registrationLimit()) {
        open.add(new AdminReport.SshActivation(a.activationId(), a.owner().map(StudioUser::owner).orElse(null),
            a.target().map(SshTarget::tagValue).orElse(null), a.expiresAt().toString(), a.expired(now),
            a.registrations()));
      }
    }
    return new AdminReport.Ssh(targets, open, hourly, round(soFar), round(targets.size() * 24 * hourly));
  }

  private static double round(double value) {
    return Math.round(value * 10000) / 10000.0;
  }
}

package io.studiocp.admin;

import io.studiocp.hosts.pool.PoolCosts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report as a text table, what the Lambda console and {@code sdocker admin report} show first. */
public final class ReportSummary {

  private ReportSummary() {}

  public static String render(AdminReport report) {
    StringBuilder out = new StringBuilder();
    AdminReport.Totals t = report.totals();
    out.append("Studio Control Plane: what runs at ").append(report.at()).append(" in ")
        .append(String.join(", ", report.domains())).append('\n');
    out.append(String.format(Locale.ROOT, "%d apps, %d spaces, %d hosts (%d running); cost so far $%.2f, "
        + "now $%.2f per day (estimates from list prices)%n%n", t.apps(), t.spaces(), t.hosts(), t.runningHosts(),
        t.costSoFarUsd(), t.costPerDayUsd()));

    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"USER", "APPS", "HOSTS", "SPACES", "$/DAY", "$ SO FAR", "HOME", "MARKS"});
    for (AdminReport.User u : report.users()) {
      rows.add(new String[] {u.owner(), Integer.toString(u.apps().size()), hosts(u.hosts()),
          Integer.toString(u.spaces().size()), money(u.costPerDayUsd()), money(u.costSoFarUsd()),
          u.homeUsage() == null ? "-" : HomeUsage.readable(u.homeUsage().bytes()), marks(u)});
    }
    AdminReport.Shared s = report.shared();
    if (!s.apps().isEmpty() || !s.spaces().isEmpty()) {
      rows.add(new String[] {ReportBuilder.SHARED, Integer.toString(s.apps().size()), "0",
          Integer.toString(s.spaces().size()), money(s.costPerDayUsd()), money(s.costSoFarUsd()), "-", "-"});
    }
    table(out, rows);

    if (!t.byInstanceFamily().isEmpty()) {
      out.append('\n');
      List<String[]> families = new ArrayList<>();
      families.add(new String[] {"FAMILY", "RUNNING", "$/DAY", "$ SO FAR"});
      t.byInstanceFamily().forEach((family, c) -> families.add(new String[] {family, Integer.toString(c.count()),
          money(c.costPerDayUsd()), money(c.costSoFarUsd())}));
      table(out, families);
    }
    if (!report.topSpenders().isEmpty()) {
      out.append("\nTop spenders (per day): ");
      List<String> top = new ArrayList<>();
      report.topSpenders().stream().limit(5).forEach(sp -> top.add(sp.owner() + " $" + money(sp.costPerDayUsd())));
      out.append(String.join(", ", top)).append('\n');
    }
    if (!report.failures().isEmpty()) {
      out.append("\nFailures in the last 24 h:\n");
      report.failures().forEach(f -> out.append("  ").append(f.hostId()).append(" (").append(f.owner()).append(", ")
          .append(f.at()).append("): ").append(f.reason()).append('\n'));
    }
    AdminReport.Ssh ssh = report.ssh();
    if (!ssh.targets().isEmpty() || !ssh.activations().isEmpty()) {
      out.append(String.format(Locale.ROOT, "%nSSH targets (SSM advanced tier, $%.5f per node-hour): %d registered, "
          + "cost so far $%.2f, $%.2f/day; %d activation(s) not used%n", ssh.advancedTierHourlyUsd(),
          ssh.targets().size(), ssh.costSoFarUsd(), ssh.costPerDayUsd(), ssh.activations().size()));
      List<String[]> nodes = new java.util.ArrayList<>();
      nodes.add(new String[] {"NODE", "OWNER", "TARGET", "AGENT", "REGISTERED H", "COST"});
      ssh.targets().forEach(n -> nodes.add(new String[] {n.id(), String.valueOf(n.owner()), String.valueOf(n.target()),
          n.pingStatus(), String.format(Locale.ROOT, "%.1f", n.registeredHours()), money(n.costSoFarUsd())}));
      table(out, nodes);
    }
    if (!report.pools().isEmpty()) {
      out.append('\n').append(PoolCosts.summary(report.pools()));
    }
    report.notes().forEach(n -> out.append("note: ").append(n).append('\n'));
    return out.toString();
  }

  private static String hosts(List<AdminReport.HostEntry> hosts) {
    long running = hosts.stream().filter(h -> !h.state().equals("STOPPED")).count();
    return hosts.size() == running ? Integer.toString(hosts.size()) : hosts.size() + " (" + (hosts.size() - running)
        + " stopped)";
  }

  private static String marks(AdminReport.User u) {
    List<String> marks = new ArrayList<>();
    count(marks, u, "exempt");
    count(marks, u, "snooze-until");
    count(marks, u, "final-notice-at");
    count(marks, u, "reminded-at");
    return marks.isEmpty() ? "-" : String.join(" ", marks);
  }

  private static void count(List<String> marks, AdminReport.User u, String key) {
    long n = u.apps().stream().map(AdminReport.App::policeMarks).filter(m -> has(m, key)).count()
        + u.hosts().stream().map(AdminReport.HostEntry::policeMarks).filter(m -> has(m, key)).count()
        + u.spaces().stream().map(AdminReport.Space::policeMarks).filter(m -> has(m, key)).count();
    if (n > 0) {
      marks.add(key.replace("-at", "").replace("-until", "d") + ":" + n);
    }
  }

  private static boolean has(Map<String, String> marks, String key) {
    String value = marks.get(key);
    return value != null && !(key.equals("exempt") && value.equalsIgnoreCase("false"));
  }

  private static String money(double usd) {
    return String.format(Locale.ROOT, "%.2f", usd);
  }

  private static void table(StringBuilder out, List<String[]> rows) {
    int[] widths = new int[rows.getFirst().length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(String.format("%-" + widths[i] + "s", row[i]));
        if (i < row.length - 1) {
          line.append("  ");
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }
}

package io.studiocp.cleanup;

import io.studiocp.police.Email;
import java.util.List;

/** The owner's note and the admins' digest: what the cleanup did to which host, and why. */
final class CleanupMail {

  private CleanupMail() {}

  static Email owner(List<String> to, String ownerName, List<CleanupAction> actions, boolean dryRun) {
    StringBuilder text = new StringBuilder("Hello " + ownerName + ",\n\n"
        + (dryRun ? "The cleanup would do this to your Docker hosts (a dry run: nothing changed):\n\n"
            : "The cleanup did this to your Docker hosts:\n\n"));
    actions.forEach(a -> text.append(line(a)).append('\n'));
    text.append("\nsdocker list-hosts shows them; sdocker start-host and sdocker extend-host bring one back.\n");
    boolean onlyWarnings = actions.stream().allMatch(a -> a.kind() == CleanupAction.Kind.WARN_EXPIRY);
    return new Email(to, onlyWarnings ? "Your Docker host expires soon" : "Your Docker hosts: what the cleanup did",
        text.toString(), html(text.toString()));
  }

  static Email admins(List<String> to, List<CleanupAction> actions, List<String> failures, boolean dryRun) {
    StringBuilder text = new StringBuilder(dryRun ? "Cleanup dry run: nothing changed. It would do:\n\n"
        : "What the cleanup did:\n\n");
    actions.forEach(a -> text.append(a.owner() == null ? "" : a.owner().owner() + ": ").append(line(a)).append('\n'));
    if (!failures.isEmpty()) {
      text.append("\nWhat failed (the next run tries again):\n");
      failures.forEach(f -> text.append("- ").append(f).append('\n'));
    }
    return new Email(to, "Studio Control Plane cleanup: " + actions.size() + " action(s)", text.toString(),
        html(text.toString()));
  }

  static String line(CleanupAction a) {
    return "- " + (a.hostId() == null ? "" : a.hostId() + ": ") + a.kind().label() + " (" + a.reason() + "; "
        + a.detail() + ")";
  }

  private static String html(String text) {
    return "<pre>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</pre>";
  }
}

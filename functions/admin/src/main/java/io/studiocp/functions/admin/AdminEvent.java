package io.studiocp.functions.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.admin.Target;
import io.studiocp.hosts.HostId;
import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin console's event, {@code {"action": "...", ...}}, read strictly: an unknown action, an
 * unknown or missing field, or a value of the wrong form is refused with a sentence naming what
 * to send, before anything is read or changed. events/admin-<action>.json has one of each.
 */
record AdminEvent(String action, JsonNode fields) {

  private static final Set<String> TARGET = Set.of("hostId", "domainId", "userProfile", "spaceName", "appType",
      "appName");

  /** Every action, the fields it takes and an example of it. */
  static final Map<String, Spec> ACTIONS = actions();

  record Spec(Set<String> fields, boolean mutating, String example) {}

  private static Map<String, Spec> actions() {
    Map<String, Spec> a = new LinkedHashMap<>();
    a.put("report", new Spec(Set.of(), false, "{\"action\": \"report\"}"));
    a.put("explain", new Spec(TARGET, false, "{\"action\": \"explain\", \"hostId\": \"h-0123456789abcdef\"}"));
    a.put("stop-host", new Spec(Set.of("hostId", "dryRun"), true,
        "{\"action\": \"stop-host\", \"hostId\": \"h-0123456789abcdef\", \"dryRun\": true}"));
    a.put("start-host", new Spec(Set.of("hostId", "dryRun"), true,
        "{\"action\": \"start-host\", \"hostId\": \"h-0123456789abcdef\"}"));
    a.put("extend-host", new Spec(Set.of("hostId", "ttlHours", "dryRun"), true,
        "{\"action\": \"extend-host\", \"hostId\": \"h-0123456789abcdef\", \"ttlHours\": 8}"));
    a.put("terminate-host", new Spec(Set.of("hostId", "dryRun"), true,
        "{\"action\": \"terminate-host\", \"hostId\": \"h-0123456789abcdef\", \"dryRun\": true}"));
    a.put("delete-app", new Spec(Set.of("domainId", "userProfile", "spaceName", "appType", "appName", "dryRun"), true,
        "{\"action\": \"delete-app\", \"domainId\": \"d-xxx\", \"userProfile\": \"alice\", \"appType\": "
            + "\"KernelGateway\", \"appName\": \"...\"}"));
    a.put("delete-space-apps", new Spec(Set.of("domainId", "spaceName", "dryRun"), true,
        "{\"action\": \"delete-space-apps\", \"domainId\": \"d-xxx\", \"spaceName\": \"team-space\"}"));
    Set<String> marked = new java.util.HashSet<>(TARGET);
    marked.addAll(List.of("reason", "dryRun"));
    Set<String> snooze = new java.util.HashSet<>(marked);
    snooze.add("until");
    a.put("snooze", new Spec(Set.copyOf(snooze), true,
        "{\"action\": \"snooze\", \"hostId\": \"h-0123456789abcdef\", \"until\": \"2030-01-31T18:00:00Z\"}"));
    a.put("exempt", new Spec(Set.copyOf(marked), true,
        "{\"action\": \"exempt\", \"hostId\": \"h-0123456789abcdef\", \"reason\": \"month-long training run\"}"));
    a.put("unexempt", new Spec(Set.copyOf(marked), true,
        "{\"action\": \"unexempt\", \"hostId\": \"h-0123456789abcdef\"}"));
    a.put("police", new Spec(Set.of("dryRun"), true, "{\"action\": \"police\", \"dryRun\": true}"));
    a.put("cleanup", new Spec(Set.of("dryRun"), true, "{\"action\": \"cleanup\", \"dryRun\": true}"));
    return a;
  }

  static AdminEvent parse(JsonNode event) {
    if (event == null || !event.isObject()) {
      throw new AdminConsoleError("the event must be a JSON object such as {\"action\": \"report\"}; actions: "
          + String.join(", ", ACTIONS.keySet()));
    }
    JsonNode action = event.get("action");
    if (action == null || !action.isTextual()) {
      throw new AdminConsoleError("send \"action\": one of " + String.join(", ", ACTIONS.keySet())
          + " (events/admin-<action>.json has an example of each)");
    }
    Spec spec = ACTIONS.get(action.asText());
    if (spec == null) {
      throw new AdminConsoleError("unknown action '" + action.asText() + "': use one of "
          + String.join(", ", ACTIONS.keySet()));
    }
    for (Iterator<String> it = event.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("action") && !spec.fields().contains(field)) {
        throw new AdminConsoleError("unknown field '" + field + "' for " + action.asText() + "; it takes "
            + (spec.fields().isEmpty() ? "no other field" : String.join(", ", spec.fields().stream().sorted().toList()))
            + ", such as " + spec.example());
      }
    }
    return new AdminEvent(action.asText(), event);
  }

  Spec spec() {
    return ACTIONS.get(action);
  }

  boolean dryRun() {
    JsonNode dryRun = fields.get("dryRun");
    if (dryRun != null && !dryRun.isBoolean()) {
      throw new AdminConsoleError("dryRun must be true or false, got " + dryRun);
    }
    return dryRun != null && dryRun.asBoolean();
  }

  String hostId() {
    String id = text("hostId", true);
    if (!HostId.isValid(id)) {
      throw new AdminConsoleError("hostId '" + id + "' is not a host id (h- and 16 hex digits, as the report shows)");
    }
    return id;
  }

  int ttlHours() {
    JsonNode ttl = fields.get("ttlHours");
    if (ttl == null || !ttl.isIntegralNumber() || !ttl.canConvertToInt()) {
      throw new AdminConsoleError("send \"ttlHours\": a whole number of hours from now, such as "
          + spec().example() + (ttl == null ? "" : "; got " + ttl));
    }
    return ttl.asInt();
  }

  /** The optional reason; {@code required} for an exemption. */
  String reason(boolean required) {
    String reason = text("reason", required);
    if (reason != null && reason.length() > 200) {
      throw new AdminConsoleError("reason is longer than 200 characters (a tag value holds 256); shorten it");
    }
    return reason;
  }

  /** The snooze's end: an ISO-8601 instant ({@code 2030-01-31T18:00:00Z}) or a date (its start, UTC). */
  Instant until() {
    String text = text("until", true);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException again) {
        throw new AdminConsoleError("until '" + text + "' is not a time: send an ISO-8601 time in UTC such as "
            + "2030-01-31T18:00:00Z, or a date such as 2030-01-31");
      }
    }
  }

  /** A host ({@code hostId}), an app ({@code domainId}, {@code userProfile} or {@code spaceName}, {@code appType}, {@code appName}) or a space. */
  Target target() {
    if (fields.has("hostId")) {
      for (String other : List.of("domainId", "userProfile", "spaceName", "appType", "appName")) {
        if (fields.has(other)) {
          throw new AdminConsoleError("send either hostId or " + other + ", not both: a host is named by its id alone");
        }
      }
      return new Target.Host(hostId());
    }
    String domain = text("domainId", false);
    if (domain == null) {
      throw new AdminConsoleError("name what to " + action + ": \"hostId\" for a host, or \"domainId\" with "
          + "\"spaceName\" for a space, or with \"userProfile\" (or \"spaceName\"), \"appType\" and \"appName\" for an app");
    }
    if (!fields.has("appName") && !fields.has("appType")) {
      if (fields.has("userProfile")) {
        throw new AdminConsoleError("a user profile alone is not a resource: add appType and appName for one of its apps");
      }
      return space();
    }
    return app();
  }

  Target.App app() {
    String domain = domainId();
    String profile = text("userProfile", false);
    String space = text("spaceName", false);
    if ((profile == null) == (space == null)) {
      throw new AdminConsoleError("send exactly one of userProfile (an app of a user) or spaceName (an app of a space)");
    }
    if (profile != null && !StudioUser.isProfileName(profile)) {
      throw new AdminConsoleError("userProfile '" + profile + "' is not a user profile name");
    }
    return new Target.App(domain, profile, space, text("appType", true), text("appName", true));
  }

  Target.Space space() {
    return new Target.Space(domainId(), text("spaceName", true));
  }

  private String domainId() {
    String domain = text("domainId", true);
    if (!StudioUser.isDomainId(domain)) {
      throw new AdminConsoleError("domainId '" + domain + "' is not a SageMaker domain id (d-...)");
    }
    return domain;
  }

  private String text(String field, boolean required) {
    JsonNode value = fields.get(field);
    if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
      if (required) {
        throw new AdminConsoleError("missing \"" + field + "\" for " + action + ": send it, such as " + spec().example());
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new AdminConsoleError(field + " must be a string, got " + value);
    }
    return value.asText().strip();
  }
}

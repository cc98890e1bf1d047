package io.studiocp.police;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.platform.ConfigurationException;
import io.studiocp.platform.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the police consider long running, how often they remind, and what they do after the grace
 * period. Read from the PolicePolicy template parameter (JSON); every key is optional and takes the
 * default below; any mistake fails the function's init with a message naming the bad entry.
 *
 * <pre>{@code
 * {"longRunning": [{"match": "ml.t3.*", "afterHours": 120}, {"match": "*", "afterHours": 24}],
 *  "hourlyPriceUsd": {"ml.g4dn.xlarge": 0.7364},
 *  "reminderIntervalHours": 24, "graceHours": 72,
 *  "enforcement": {"enabled": false, "apps": "delete", "spaces": "delete", "hosts": "stop"}}
 * }</pre>
 */
public record PolicePolicy(List<Rule> longRunning, Map<String, Double> hourlyPriceUsd, Duration reminderInterval,
    Duration grace, Enforcement enforcement) {

  /** Resources whose instance type matches {@code match} are long running after {@code after}. */
  public record Rule(String match, Duration after, Pattern regex) {
    public boolean matches(String instanceType) {
      return regex.matcher(instanceType).matches();
    }
  }

  public enum AppAction { DELETE, NONE }

  public enum HostAction { STOP, TERMINATE, NONE }

  public record Enforcement(boolean enabled, AppAction apps, AppAction spaces, HostAction hosts) {}

  static final String PARAMETER = "parameter PolicePolicy (environment variable POLICE_POLICY)";
  private static final Set<String> TOP = Set.of("longRunning", "hourlyPriceUsd", "reminderIntervalHours",
      "graceHours", "enforcement");
  private static final Set<String> RULE = Set.of("match", "afterHours");
  private static final Set<String> ENFORCEMENT = Set.of("enabled", "apps", "spaces", "hosts");

  /** The seed's thresholds (ml.t3 after 5 days, anything else after a day), GPU families after 12 hours. */
  public static final String DEFAULT_RULES = """
      [{"match": "ml.t3.*", "afterHours": 120},
       {"match": "ml.g*", "afterHours": 12}, {"match": "ml.p*", "afterHours": 12},
       {"match": "g*", "afterHours": 12}, {"match": "p*", "afterHours": 12},
       {"match": "*", "afterHours": 24}]
      """;

  public PolicePolicy {
    longRunning = List.copyOf(longRunning);
    hourlyPriceUsd = Map.copyOf(hourlyPriceUsd);
  }

  public static PolicePolicy defaults() {
    return parse("");
  }

  public static PolicePolicy parse(String document) {
    ObjectNode root;
    try {
      JsonNode parsed = document == null || document.isBlank() ? Json.mapper().createObjectNode()
          : Json.mapper().readTree(document);
      if (!(parsed instanceof ObjectNode object)) {
        throw new ConfigurationException(PARAMETER + " must be a JSON object");
      }
      root = object;
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(PARAMETER + " is not JSON: " + e.getOriginalMessage());
    }
    onlyKeys(root, TOP, "");
    JsonNode rules;
    try {
      rules = root.has("longRunning") ? root.get("longRunning") : Json.mapper().readTree(DEFAULT_RULES);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return new PolicePolicy(rules(rules), prices(root.get("hourlyPriceUsd")),
        Duration.ofMinutes(Math.round(hours(root, "reminderIntervalHours", 24, "") * 60)),
        Duration.ofMinutes(Math.round(hours(root, "graceHours", 72, "") * 60)),
        enforcement(root.get("enforcement")));
  }

  private static List<Rule> rules(JsonNode node) {
    if (!node.isArray() || node.isEmpty()) {
      throw new ConfigurationException(PARAMETER + ": longRunning must be a non-empty list of "
          + "{\"match\": \"ml.t3.*\", \"afterHours\": 120}");
    }
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String where = "longRunning[" + i + "]";
      if (!(node.get(i) instanceof ObjectNode rule)) {
        throw new ConfigurationException(PARAMETER + ": " + where + " must be an object");
      }
      onlyKeys(rule, RULE, where + ".");
      JsonNode match = rule.get("match");
      if (match == null || !match.isTextual() || !match.asText().matches("[A-Za-z0-9.*-]+")) {
        throw new ConfigurationException(PARAMETER + ": " + where + ".match must be an instance type pattern "
            + "such as \"ml.t3.*\" or \"*\"");
      }
      double hours = hours(rule, "afterHours", -1, where + ".");
      if (hours < 0) {
        throw new ConfigurationException(PARAMETER + ": " + where + ".afterHours is required");
      }
      String regex = Pattern.quote(match.asText()).replace("*", "\\E.*\\Q");
      rules.add(new Rule(match.asText(), Duration.ofMinutes(Math.round(hours * 60)),
          Pattern.compile(regex, Pattern.CASE_INSENSITIVE)));
    }
    return rules;
  }

  private static Map<String, Double> prices(JsonNode node) {
    Map<String, Double> prices = new LinkedHashMap<>();
    if (node == null) {
      return prices;
    }
    if (!(node instanceof ObjectNode object)) {
      throw new ConfigurationException(PARAMETER + ": hourlyPriceUsd must map instance types to prices");
    }
    object.properties().forEach(e -> {
      if (!e.getValue().isNumber() || e.getValue().asDouble() < 0) {
        throw new ConfigurationException(PARAMETER + ": hourlyPriceUsd." + e.getKey()
            + " must be a price in US dollars per hour, such as 0.05");
      }
      prices.put(e.getKey(), e.getValue().asDouble());
    });
    return prices;
  }

  private static Enforcement enforcement(JsonNode node) {
    if (node == null) {
      return new Enforcement(false, AppAction.DELETE, AppAction.DELETE, HostAction.STOP);
    }
    if (!(node instanceof ObjectNode object)) {
      throw new ConfigurationException(PARAMETER + ": enforcement must be an object");
    }
    onlyKeys(object, ENFORCEMENT, "enforcement.");
    JsonNode enabled = object.get("enabled");
    if (enabled != null && !enabled.isBoolean()) {
      throw new ConfigurationException(PARAMETER + ": enforcement.enabled must be true or false");
    }
    return new Enforcement(enabled != null && enabled.asBoolean(),
        action(object, "apps", AppAction.class, AppAction.DELETE),
        action(object, "spaces", AppAction.class, AppAction.DELETE),
        action(object, "hosts", HostAction.class, HostAction.STOP));
  }

  private static <E extends Enum<E>> E action(ObjectNode node, String key, Class<E> type, E fallback) {
    JsonNode value = node.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, value.asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(PARAMETER + ": enforcement." + key + " must be one of "
          + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList()
          + ", got " + value);
    }
  }

  private static double hours(ObjectNode node, String key, double fallback, String where) {
    JsonNode value = node.get(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isNumber() || value.asDouble() <= 0) {
      throw new ConfigurationException(PARAMETER + ": " + where + key + " must be a positive number of hours, got "
          + value);
    }
    return value.asDouble();
  }

  private static void onlyKeys(ObjectNode node, Set<String> allowed, String where) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new ConfigurationException(PARAMETER + ": unknown key '" + where + key + "'; the keys are "
            + allowed.stream().sorted().toList());
      }
    }
  }

  /** The shortest time any rule lets a resource run: whatever started since cannot be long running. */
  public Duration shortestLongRunning() {
    return longRunning.stream().map(Rule::after).min(Duration::compareTo).orElse(Duration.ZERO);
  }

  /** How long a resource of this type may run before it is long running; empty when no rule matches. */
  public Optional<Duration> thresholdFor(String instanceType) {
    return longRunning.stream().filter(r -> r.matches(instanceType)).findFirst().map(Rule::after);
  }
}

package io.studiocp.hosts.pool;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.platform.ConfigurationException;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.platform.Settings;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The warm pool: per Studio domain, how many ready hosts of each instance type wait for a claim,
 * and optionally in which hours ({@code WarmPool}, a JSON object; {@code {}}, no pool, by default):
 *
 * <pre>{"d-abc": {"sizes": {"m5.xlarge": 1}, "hours": {"zone": "Europe/Berlin", "days": "MON-FRI",
 *   "from": "08:00", "to": "19:00"}}}</pre>
 *
 * A domain without {@code hours} keeps its pool at all times. Checked at init: a bad value stops
 * the function with a message naming the parameter and what to change.
 */
public record PoolSettings(Map<String, DomainPool> domains) {

  /** The most hosts one pool (one domain, one type) may keep. */
  public static final int MAX_SIZE = 20;
  private static final String WHERE = "parameter WarmPool (environment variable WARM_POOL)";
  private static final Pattern DOMAIN_ID = Pattern.compile("d-[a-z0-9]{1,63}");

  public PoolSettings {
    domains = Map.copyOf(domains);
  }

  /** One domain's pool: hosts per instance type, kept within the hours when there are any. */
  public record DomainPool(Map<String, Integer> sizes, Optional<Hours> hours) {

    public DomainPool {
      sizes = Map.copyOf(sizes);
    }

    public boolean isOpen(Instant now) {
      return hours.map(h -> h.contain(now)).orElse(true);
    }
  }

  /** When a pool is kept: on these days, from one time of day to another, in a time zone. */
  public record Hours(ZoneId zone, Set<DayOfWeek> days, LocalTime from, LocalTime to) {

    public Hours {
      days = Set.copyOf(days);
    }

    public boolean contain(Instant now) {
      ZonedDateTime local = now.atZone(zone);
      LocalTime time = local.toLocalTime();
      return days.contains(local.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
    }
  }

  public static PoolSettings none() {
    return new PoolSettings(Map.of());
  }

  public static PoolSettings from(Env env, HostPolicy policy) {
    return parse(env.optional(Settings.WARM_POOL).orElse(""), policy);
  }

  /**
   * @throws ConfigurationException naming the parameter, the place in it and what to change
   */
  public static PoolSettings parse(String json, HostPolicy policy) {
    if (json == null || json.isBlank()) {
      return none();
    }
    JsonNode root;
    try {
      root = Json.readOneDocument(json);
    } catch (RuntimeException e) {
      throw new ConfigurationException(WHERE + " is not JSON: " + e.getMessage()
          + "; give an object like {\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}}}");
    }
    if (!root.isObject()) {
      throw new ConfigurationException(WHERE + " must be a JSON object of domain ids, like "
          + "{\"d-abc\": {\"sizes\": {\"m5.xlarge\": 1}}}");
    }
    Map<String, DomainPool> domains = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String domainId = entry.getKey();
      if (!DOMAIN_ID.matcher(domainId).matches()) {
        throw new ConfigurationException(WHERE + ": '" + domainId + "' is not a Studio domain id (d-...)");
      }
      domains.put(domainId, domain(domainId, entry.getValue(), policy));
    }
    return new PoolSettings(domains);
  }

  private static DomainPool domain(String domainId, JsonNode node, HostPolicy policy) {
    String at = WHERE + " at " + domainId;
    if (!node.isObject()) {
      throw new ConfigurationException(at + " must be an object with \"sizes\" and, optionally, \"hours\"");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("sizes") && !name.equals("hours")) {
        throw new ConfigurationException(at + " has '" + name + "'; only \"sizes\" and \"hours\" are known");
      }
    }
    JsonNode sizesNode = node.get("sizes");
    if (sizesNode == null || !sizesNode.isObject()) {
      throw new ConfigurationException(at + " needs \"sizes\": an object of instance types and host counts, "
          + "like {\"m5.xlarge\": 1}");
    }
    Map<String, Integer> sizes = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = sizesNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> size = it.next();
      String type = size.getKey();
      if (!policy.allows(type)) {
        throw new ConfigurationException(at + ": instance type " + type + " is not allowed by parameter "
            + "AllowedInstanceTypes; allow it there or remove it from the pool");
      }
      JsonNode count = size.getValue();
      if (!count.isInt() || count.asInt() < 0 || count.asInt() > MAX_SIZE) {
        throw new ConfigurationException(at + ": the size of " + type + " must be a whole number from 0 to "
            + MAX_SIZE + ", got " + count);
      }
      if (count.asInt() > 0) {
        sizes.put(type, count.asInt());
      }
    }
    JsonNode hours = node.get("hours");
    return new DomainPool(sizes, hours == null || hours.isNull() ? Optional.empty() : Optional.of(hours(at, hours)));
  }

  private static Hours hours(String at, JsonNode node) {
    String where = at + " hours";
    if (!node.isObject()) {
      throw new ConfigurationException(where + " must be an object like {\"zone\": \"Europe/Berlin\", \"days\": "
          + "\"MON-FRI\", \"from\": \"08:00\", \"to\": \"19:00\"}");
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(text(node, "zone", where));
    } catch (DateTimeException e) {
      throw new ConfigurationException(where + ": zone '" + node.get("zone").asText()
          + "' is not a time zone; use a name like Europe/Berlin or UTC");
    }
    Set<DayOfWeek> days = node.has("days") ? days(where, text(node, "days", where)) : EnumSet.allOf(DayOfWeek.class);
    LocalTime from = time(where, "from", text(node, "from", where));
    LocalTime to = time(where, "to", text(node, "to", where));
    if (!from.isBefore(to)) {
      throw new ConfigurationException(where + ": \"from\" (" + from + ") must be before \"to\" (" + to + ")");
    }
    return new Hours(zone, days, from, to);
  }

  private static Set<DayOfWeek> days(String where, String text) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String part : text.split(",")) {
      String[] range = part.strip().split("-", -1);
      if (range.length > 2) {
        throw new ConfigurationException(where + ": days '" + text + "' must be days like MON-FRI or SAT,SUN");
      }
      DayOfWeek first = day(where, text, range[0]);
      DayOfWeek last = range.length == 2 ? day(where, text, range[1]) : first;
      for (DayOfWeek d = first; ; d = d.plus(1)) {
        days.add(d);
        if (d == last) {
          break;
        }
      }
    }
    return days;
  }

  private static DayOfWeek day(String where, String text, String name) {
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().substring(0, 3).equals(name.strip().toUpperCase(Locale.ROOT))) {
        return d;
      }
    }
    throw new ConfigurationException(where + ": days '" + text + "' must name days as MON, TUE, WED, THU, FRI, "
        + "SAT, SUN (ranges like MON-FRI)");
  }

  private static LocalTime time(String where, String field, String text) {
    if (text.equals("24:00")) {
      return LocalTime.MAX;
    }
    try {
      return LocalTime.parse(text);
    } catch (DateTimeParseException e) {
      throw new ConfigurationException(where + ": \"" + field + "\" '" + text + "' must be a time of day as HH:MM");
    }
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new ConfigurationException(where + " needs \"" + field + "\" as a string");
    }
    return value.asText();
  }

  public boolean isEmpty() {
    return domains.values().stream().allMatch(d -> d.sizes().isEmpty());
  }

  /** How many pool hosts of the type the domain should have now (0 outside its hours). */
  public int desired(String domainId, String instanceType, Instant now) {
    DomainPool pool = domains.get(domainId);
    if (pool == null || !pool.isOpen(now)) {
      return 0;
    }
    return pool.sizes().getOrDefault(instanceType, 0);
  }

  /** The pools configured for a domain, by type (whatever the hour). */
  public Map<String, Integer> sizes(String domainId) {
    DomainPool pool = domains.get(domainId);
    return pool == null ? Map.of() : pool.sizes();
  }

  public List<String> domainIds() {
    return List.copyOf(domains.keySet());
  }
}

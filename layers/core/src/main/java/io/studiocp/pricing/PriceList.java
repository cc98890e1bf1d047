package io.studiocp.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.platform.ConfigurationException;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.platform.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What things cost, roughly: the hourly price of EC2 and SageMaker instance types and the monthly
 * price of a gp3 GiB. Every figure the product shows (police digests, list-hosts, Studio status,
 * the admin report) comes from here, so they agree. The shipped table holds us-east-1 list prices;
 * {@code PriceOverrides} replaces or adds figures. A type the table does not price, and that is not
 * a size of a family priced per "large", has no price: it is shown as unknown, never as free.
 *
 * <p>Families whose sizes scale linearly (t3, m5, c6i, ml.m5, ...) are priced per "large": a
 * medium is half of it, an xlarge twice, a 4xlarge eight times. GPU types do not scale so and are
 * listed one by one.
 */
public final class PriceList {

  /** Hours in a billing month, as AWS prices monthly storage. */
  static final double HOURS_PER_MONTH = 730;
  private static final Pattern TYPE = Pattern.compile("((?:ml\\.)?[a-z][a-z0-9-]*)\\.([a-z0-9]+)");
  private static final Pattern MULTIPLE = Pattern.compile("(\\d+)xlarge");
  private static final Map<String, Double> SMALL_SIZES = Map.of(
      "nano", 0.0625, "micro", 0.125, "small", 0.25, "medium", 0.5, "large", 1.0, "xlarge", 2.0);
  private static final Set<String> KEYS = Set.of("hourlyUsd", "perLargeHourUsd", "gp3GiBMonthUsd", "about");

  private final Map<String, Double> hourly;
  private final Map<String, Double> perLarge;
  private final double gp3GiBMonth;

  private PriceList(Map<String, Double> hourly, Map<String, Double> perLarge, double gp3GiBMonth) {
    this.hourly = Map.copyOf(hourly);
    this.perLarge = Map.copyOf(perLarge);
    this.gp3GiBMonth = gp3GiBMonth;
  }

  /** The shipped table. */
  public static PriceList shipped() {
    try (InputStream in = PriceList.class.getResourceAsStream("prices.json")) {
      if (in == null) {
        throw new IllegalStateException("prices.json is not packaged with the core");
      }
      return new PriceList(Map.of(), Map.of(), 0).with(Json.mapper().readTree(in), "the shipped prices.json");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shipped table with the {@code PriceOverrides} parameter applied; a mistake fails init naming it. */
  public static PriceList from(Env env) {
    PriceList shipped = shipped();
    Optional<String> overrides = env.optional(Settings.PRICE_OVERRIDES);
    if (overrides.isEmpty()) {
      return shipped;
    }
    try {
      return shipped.with(Json.mapper().readTree(overrides.get()), Settings.PRICE_OVERRIDES.describe());
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(Settings.PRICE_OVERRIDES.describe() + " is not JSON such as "
          + "{\"hourlyUsd\": {\"m5.xlarge\": 0.2}, \"gp3GiBMonthUsd\": 0.08}: " + e.getOriginalMessage());
    }
  }

  /** This list with the given hourly prices put over it (for example the police policy's own). */
  public PriceList withHourly(Map<String, Double> prices) {
    Map<String, Double> merged = new HashMap<>(hourly);
    merged.putAll(prices);
    return new PriceList(merged, perLarge, gp3GiBMonth);
  }

  private PriceList with(JsonNode document, String source) {
    if (!(document instanceof ObjectNode object)) {
      throw new ConfigurationException(source + " must be a JSON object with hourlyUsd, perLargeHourUsd "
          + "and gp3GiBMonthUsd");
    }
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new ConfigurationException(source + ": unknown key '" + key + "'; the keys are hourlyUsd, "
            + "perLargeHourUsd and gp3GiBMonthUsd");
      }
    }
    Map<String, Double> newHourly = new HashMap<>(hourly);
    newHourly.putAll(prices(object.get("hourlyUsd"), source + ": hourlyUsd"));
    Map<String, Double> newPerLarge = new HashMap<>(perLarge);
    newPerLarge.putAll(prices(object.get("perLargeHourUsd"), source + ": perLargeHourUsd"));
    double gp3 = gp3GiBMonth;
    JsonNode volume = object.get("gp3GiBMonthUsd");
    if (volume != null) {
      if (!volume.isNumber() || volume.asDouble() < 0) {
        throw new ConfigurationException(source + ": gp3GiBMonthUsd must be a price in US dollars per "
            + "GiB-month, such as 0.08, got " + volume);
      }
      gp3 = volume.asDouble();
    }
    return new PriceList(newHourly, newPerLarge, gp3);
  }

  private static Map<String, Double> prices(JsonNode node, String where) {
    Map<String, Double> prices = new HashMap<>();
    if (node == null) {
      return prices;
    }
    if (!(node instanceof ObjectNode object)) {
      throw new ConfigurationException(where + " must map names to US dollars per hour, such as "
          + "{\"m5.xlarge\": 0.192}");
    }
    object.properties().forEach(e -> {
      if (!e.getValue().isNumber() || e.getValue().asDouble() < 0) {
        throw new ConfigurationException(where + "." + e.getKey() + " must be a price in US dollars per "
            + "hour, such as 0.05, got " + e.getValue());
      }
      prices.put(e.getKey(), e.getValue().asDouble());
    });
    return prices;
  }

  /** US dollars per hour for the type, when known. */
  public Optional<Double> hourly(String instanceType) {
    if (instanceType == null) {
      return Optional.empty();
    }
    Double listed = hourly.get(instanceType);
    if (listed != null) {
      return Optional.of(listed);
    }
    Matcher type = TYPE.matcher(instanceType);
    if (!type.matches() || !perLarge.containsKey(type.group(1))) {
      return Optional.empty();
    }
    return sizeMultiple(type.group(2)).map(multiple -> multiple * perLarge.get(type.group(1)));
  }

  private static Optional<Double> sizeMultiple(String size) {
    if (SMALL_SIZES.containsKey(size)) {
      return Optional.of(SMALL_SIZES.get(size));
    }
    Matcher multiple = MULTIPLE.matcher(size);
    return multiple.matches() ? Optional.of(2.0 * Integer.parseInt(multiple.group(1))) : Optional.empty();
  }

  /** What a type costs over a duration, when its price is known. */
  public Optional<Double> cost(String instanceType, Duration running) {
    return hourly(instanceType).map(price -> price * running.toSeconds() / 3600.0);
  }

  /** US dollars per hour for a gp3 volume of this size (what a stopped host still costs). */
  public double volumeHourly(int gib) {
    return gib * gp3GiBMonth / HOURS_PER_MONTH;
  }

  /** What a gp3 volume of this size costs over a duration. */
  public double volumeCost(int gib, Duration kept) {
    return volumeHourly(gib) * kept.toSeconds() / 3600.0;
  }
}

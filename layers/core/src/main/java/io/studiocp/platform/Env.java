package io.studiocp.platform;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The settings a function was started with, read and checked once at init. Every failure names
 * the template parameter and says what a valid value looks like.
 */
public final class Env {

  private final Map<String, String> values;

  private Env(Map<String, String> values) {
    this.values = values;
  }

  /** The process environment, read live (SnapStart may restore with new values). */
  public static Env system() {
    return new Env(System.getenv());
  }

  public static Env of(Map<String, String> values) {
    return new Env(Map.copyOf(values));
  }

  /** These settings with one more (or one changed), as another function's environment would have it. */
  public Env with(String name, String value) {
    Map<String, String> more = new java.util.HashMap<>(values);
    more.put(name, value);
    return new Env(Map.copyOf(more));
  }

  public Optional<String> optional(String name) {
    String value = values.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  public Optional<String> optional(Setting setting) {
    return optional(setting.env());
  }

  public String require(Setting setting) {
    return optional(setting).orElseThrow(() -> new ConfigurationException(
        setting.describe() + " is required but not set"));
  }

  public String text(Setting setting, String defaultValue) {
    return optional(setting).orElse(defaultValue);
  }

  public int integer(Setting setting, int defaultValue, int min, int max) {
    Optional<String> raw = optional(setting);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value < min || value > max) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigurationException(setting.describe() + " must be a whole number from " + min
          + " to " + max + ", got '" + raw.get() + "'");
    }
  }

  public boolean bool(Setting setting, boolean defaultValue) {
    Optional<String> raw = optional(setting);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    return switch (raw.get().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigurationException(setting.describe()
          + " must be true or false, got '" + raw.get() + "'");
    };
  }

  /** A comma-separated list; blanks around items are dropped, empty items are refused. */
  public List<String> list(Setting setting) {
    Optional<String> raw = optional(setting);
    if (raw.isEmpty()) {
      return List.of();
    }
    List<String> items = Arrays.stream(raw.get().split(",", -1)).map(String::strip).toList();
    if (items.stream().anyMatch(String::isEmpty)) {
      throw new ConfigurationException(setting.describe()
          + " must be a comma-separated list without empty items, got '" + raw.get() + "'");
    }
    return items;
  }
}

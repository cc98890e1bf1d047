package io.studiocp.platform;

import java.util.Optional;

/**
 * A setting: the environment variable a function reads and, for most, the template parameter
 * that sets it (the rest Lambda or the template set themselves).
 */
public record Setting(String env, Optional<String> parameter) {

  /** A setting a template parameter sets. */
  public Setting(String env, String parameter) {
    this(env, Optional.of(parameter));
  }

  /** A setting no parameter sets. */
  public Setting(String env) {
    this(env, Optional.empty());
  }

  public String describe() {
    return parameter.map(p -> "parameter " + p + " (environment variable " + env + ")")
        .orElse("environment variable " + env);
  }
}

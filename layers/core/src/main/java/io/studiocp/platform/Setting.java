package io.studiocp.platform;

/** A setting: the environment variable a function reads and the template parameter that sets it. */
public record Setting(String env, String parameter) {

  public String describe() {
    return parameter == null ? "environment variable " + env
        : "parameter " + parameter + " (environment variable " + env + ")";
  }
}

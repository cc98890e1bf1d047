package io.studiocp.platform;

/**
 * A setting is missing or wrong. Thrown while a function initialises, so that a bad template
 * parameter stops the deployment's first invocation with a message naming it, instead of a
 * failure at request time.
 */
public final class ConfigurationException extends RuntimeException {

  public ConfigurationException(String message) {
    super(message);
  }
}

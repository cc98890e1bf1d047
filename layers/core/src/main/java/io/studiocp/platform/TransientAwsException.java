package io.studiocp.platform;

/**
 * AWS failed in a way that may pass (throttling, 5xx, a connection problem) after the SDK's own
 * retries. The workflow retries this error with backoff; validation errors are never this.
 */
public final class TransientAwsException extends RuntimeException {

  public TransientAwsException(String message, Throwable cause) {
    super(message, cause);
  }
}

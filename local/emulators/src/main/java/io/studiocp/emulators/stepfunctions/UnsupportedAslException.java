package io.studiocp.emulators.stepfunctions;

/** The definition uses something the local executor cannot run faithfully; the message names it. */
public final class UnsupportedAslException extends RuntimeException {

  public UnsupportedAslException(String message) {
    super(message);
  }
}

package io.studiocp.emulators.stepfunctions;

/** A state failed with an ASL error name and cause; Retry and Catch match on {@link #error()}. */
final class StateFailure extends RuntimeException {

  private final String error;
  private final String cause;

  StateFailure(String error, String cause) {
    super(error + ": " + cause);
    this.error = error;
    this.cause = cause;
  }

  String error() {
    return error;
  }

  String cause() {
    return cause;
  }
}

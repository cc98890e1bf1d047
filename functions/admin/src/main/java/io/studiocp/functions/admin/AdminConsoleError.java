package io.studiocp.functions.admin;

/**
 * An event or request the admin console refuses: the invocation fails with this one sentence,
 * which names what to change, and no stack trace. Nothing was changed.
 */
public final class AdminConsoleError extends IllegalArgumentException {

  public AdminConsoleError(String message) {
    super(message);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}

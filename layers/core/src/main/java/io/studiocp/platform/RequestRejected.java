package io.studiocp.platform;

/**
 * A problem the caller can fix: it becomes a 4xx with {@code {"error": code, "message": message}}.
 * The message says what to change; it never carries internals.
 */
public final class RequestRejected extends RuntimeException {

  private final int status;
  private final String code;

  public RequestRejected(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public static RequestRejected invalid(String field, String message) {
    return new RequestRejected(400, "ValidationError", field + ": " + message);
  }

  public static RequestRejected badRequest(String code, String message) {
    return new RequestRejected(400, code, message);
  }

  public static RequestRejected forbidden(String message) {
    return new RequestRejected(403, "Forbidden", message);
  }

  public static RequestRejected notFound(String message) {
    return new RequestRejected(404, "NotFound", message);
  }

  public static RequestRejected conflict(String code, String message) {
    return new RequestRejected(409, code, message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}

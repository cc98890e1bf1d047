package io.studiocp.functions.api;

/**
 * A refusal about the HTTP request itself that has no domain kind, such as a body that is not
 * JSON (415): answered with its status and the product's {@code {"error", "message"}} body.
 */
public final class HttpRefusal extends RuntimeException {

  private final int status;
  private final String code;

  public HttpRefusal(int status, String code, String message) {
    super(message, null, false, false);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("a refusal is a 4xx, not " + status);
    }
    this.status = status;
    this.code = code;
  }

  public ApiResponse response() {
    return ApiResponse.error(status, code, getMessage());
  }
}

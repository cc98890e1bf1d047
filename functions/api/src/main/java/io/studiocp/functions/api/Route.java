package io.studiocp.functions.api;

/**
 * One route of the API: a method on a resource as template.yaml declares it (API Gateway passes
 * the matched resource, such as {@code /hosts/{hostId}}), and what answers it.
 */
public record Route(String method, String resource, Handler handler) {

  /** Answers a request: parse, call one use case, map the result. */
  @FunctionalInterface
  public interface Handler {
    ApiResponse handle(ApiRequest request);
  }

  public Route {
    if (!method.equals(method.toUpperCase(java.util.Locale.ROOT)) || !resource.startsWith("/")) {
      throw new IllegalArgumentException("not a route: " + method + " " + resource);
    }
  }

  /** Whether the route changes something: such a call must carry an {@code Idempotency-Key}. */
  public boolean mutating() {
    return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
  }

  /** "METHOD /resource", as logs and tests show it. */
  public String key() {
    return method + " " + resource;
  }
}

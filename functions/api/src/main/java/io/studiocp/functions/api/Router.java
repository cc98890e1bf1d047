package io.studiocp.functions.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends each request to the route for its method and resource. A resource the API knows, asked
 * with another method, is a 405; anything else unknown is a 404. A route that changes something
 * is refused without an {@code Idempotency-Key} before it runs.
 */
public final class Router {

  private final List<Route> routes;
  private final Map<String, Map<String, Route>> byResource = new LinkedHashMap<>();

  /** @throws IllegalStateException when two routes claim the same method on the same resource */
  public Router(List<Route> routes) {
    this.routes = List.copyOf(routes);
    for (Route route : this.routes) {
      if (byResource.computeIfAbsent(route.resource(), r -> new LinkedHashMap<>()).putIfAbsent(route.method(), route)
          != null) {
        throw new IllegalStateException("two routes for " + route.key());
      }
    }
  }

  /** Every route, in the order the groups registered them. */
  public List<Route> routes() {
    return routes;
  }

  /** The resources and their methods, as API Gateway has them. */
  public Map<String, List<String>> methodsByResource() {
    Map<String, List<String>> methods = new LinkedHashMap<>();
    byResource.forEach((resource, byMethod) -> methods.put(resource, List.copyOf(byMethod.keySet())));
    return methods;
  }

  public ApiResponse dispatch(ApiRequest request) {
    Map<String, Route> byMethod = byResource.get(request.resource());
    if (byMethod == null) {
      return ApiResponse.error(404, "NotFound", "no such API route: " + request.method() + " " + request.resource());
    }
    Route route = byMethod.get(request.method());
    if (route == null) {
      return ApiResponse.error(405, "MethodNotAllowed", request.method() + " is not supported on " + request.resource());
    }
    if (route.mutating()) {
      request.idempotencyKey(); // every change carries one, so a replayed request is the same request
    }
    return route.handler().handle(request);
  }
}

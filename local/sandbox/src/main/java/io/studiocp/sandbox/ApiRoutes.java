package io.studiocp.sandbox;

import java.util.List;

/** The REST resources and methods of StudioApi in template.yaml (a test keeps the two the same). */
public final class ApiRoutes {

  private ApiRoutes() {}

  public static final List<ApiGateway.Route> ALL = List.of(
      new ApiGateway.Route("/hosts", List.of("GET", "POST")),
      new ApiGateway.Route("/hosts/{hostId}", List.of("GET", "DELETE")));

  /** "METHOD /resource" for every route, sorted. */
  public static List<String> describe() {
    return ALL.stream().flatMap(r -> r.methods().stream().map(m -> m + " " + r.resource())).sorted().toList();
  }
}

package io.studiocp.functions.api;

import io.studiocp.functions.api.admin.AdminRoutes;
import io.studiocp.functions.api.hosts.HostRoutes;
import io.studiocp.functions.api.ssh.SshRoutes;
import io.studiocp.functions.api.studio.StudioRoutes;
import java.util.List;
import java.util.function.Function;

/**
 * Every route of the API, one group per capability, each in its own package beside its JSON. A
 * capability adds its routes with one line here; template.yaml declares the same routes (a test
 * in deployment/ keeps the two the same) and the sandbox's gateway serves exactly these.
 */
final class ApiRoutes {

  private static final List<Function<ApiWiring, List<Route>>> GROUPS = List.of(
      HostRoutes::from,
      AdminRoutes::from,
      StudioRoutes::from,
      SshRoutes::from);

  private ApiRoutes() {}

  static Router router(ApiWiring api) {
    return new Router(GROUPS.stream().flatMap(group -> group.apply(api).stream()).toList());
  }
}

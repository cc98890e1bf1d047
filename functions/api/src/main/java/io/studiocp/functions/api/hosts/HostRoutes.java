package io.studiocp.functions.api.hosts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.functions.api.ApiRequest;
import io.studiocp.functions.api.ApiResponse;
import io.studiocp.functions.api.ApiWiring;
import io.studiocp.functions.api.Route;
import io.studiocp.hosts.Host;
import io.studiocp.hosts.HostDirectory;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.HostQueries;
import io.studiocp.hosts.HostRequest;
import io.studiocp.hosts.RequestHost;
import io.studiocp.hosts.StudioPaths;
import io.studiocp.hosts.TerminateHost;
import io.studiocp.hosts.WaitForHost;
import io.studiocp.hosts.aws.Ec2Catalog;
import io.studiocp.hosts.aws.Ec2HostSlots;
import io.studiocp.hosts.lifecycle.ExtendHost;
import io.studiocp.hosts.lifecycle.StartHost;
import io.studiocp.hosts.lifecycle.StopHost;
import io.studiocp.pricing.PriceList;
import io.studiocp.platform.Json;
import io.studiocp.platform.Rejection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /hosts}: request a host, list mine, describe one, stop, start or extend one, terminate one. */
public final class HostRoutes {

  private static final Set<String> LIST_QUERY = Set.of("owner", "all");
  private static final Set<String> DESCRIBE_QUERY = Set.of("waitSeconds");

  private final HostPolicy policy;
  private final RequestHost requestHost;
  private final HostQueries queries;
  private final WaitForHost waitForHost;
  private final TerminateHost terminate;
  private final StopHost stop;
  private final StartHost start;
  private final ExtendHost extend;
  private final HostJson json;

  private HostRoutes(HostPolicy policy, RequestHost requestHost, HostQueries queries, WaitForHost waitForHost,
      TerminateHost terminate, StopHost stop, StartHost start, ExtendHost extend, HostJson json) {
    this.policy = policy;
    this.json = json;
    this.requestHost = requestHost;
    this.queries = queries;
    this.waitForHost = waitForHost;
    this.terminate = terminate;
    this.stop = stop;
    this.start = start;
    this.extend = extend;
  }

  /** The routes, with their use cases built from the API's shared wiring and the host settings. */
  public static List<Route> from(ApiWiring api) {
    HostPolicy policy = HostPolicy.from(api.env());
    StudioPaths paths = StudioPaths.from(api.env());
    Ec2Catalog catalog = new Ec2Catalog(api.ec2());
    HostDirectory hosts = new HostDirectory(api.fleet(), api.workflow(), paths, policy.dockerPort());
    HostQueries queries = new HostQueries(hosts);
    return new HostRoutes(policy,
        new RequestHost(policy, api.studio(), catalog, catalog, hosts, api.workflow(), new Ec2HostSlots(api.ec2()), paths,
            api.clock()),
        queries,
        new WaitForHost(queries, api.clock(), WaitForHost.Sleeper.THREAD),
        new TerminateHost(queries, api.fleet(), api.workflow()),
        new StopHost(queries, api.fleet(), api.clock()),
        new StartHost(queries, api.fleet(), api.starts(), api.clock()),
        new ExtendHost(queries, api.fleet(), policy, api.clock()),
        new HostJson(PriceList.from(api.env())))
        .routes();
  }

  private List<Route> routes() {
    return List.of(
        new Route("POST", "/hosts", this::request),
        new Route("GET", "/hosts", this::list),
        new Route("GET", "/hosts/{hostId}", this::describe),
        new Route("DELETE", "/hosts/{hostId}", this::terminate),
        new Route("POST", "/hosts/{hostId}/stop", this::stop),
        new Route("POST", "/hosts/{hostId}/start", this::start),
        new Route("POST", "/hosts/{hostId}/extend", this::extend));
  }

  private ApiResponse request(ApiRequest request) {
    request.query(Set.of());
    // What the request says is checked before who sent it is looked up (which asks AWS).
    HostRequest.Draft draft = HostRequestBody.draft(request.jsonBody(HostRequestBody.EXAMPLE), policy);
    Host host = requestHost.request(request.actor(), draft, request.idempotencyKey());
    return ApiResponse.json(202, json.render(host));
  }

  private ApiResponse list(ApiRequest request) {
    Map<String, String> query = request.query(LIST_QUERY);
    List<Host> hosts = queries.list(request.actor(), Optional.ofNullable(query.get("owner")), allFlag(query.get("all")));
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode rendered = body.putArray("hosts");
    hosts.forEach(h -> rendered.add(json.render(h)));
    return ApiResponse.json(200, body);
  }

  /** One host; with {@code waitSeconds}, a long poll while it is PROVISIONING or STARTING ({@link WaitForHost}). */
  private ApiResponse describe(ApiRequest request) {
    Optional<Duration> wait = WaitForHost.parse(request.query(DESCRIBE_QUERY).get("waitSeconds"));
    String hostId = request.pathParameter("hostId");
    Host host = wait.isEmpty() ? queries.describe(request.actor(), hostId)
        : waitForHost.describe(request.actor(), hostId, wait.get());
    return ApiResponse.json(200, json.render(host));
  }

  private ApiResponse terminate(ApiRequest request) {
    request.query(Set.of());
    request.noBody("DELETE /hosts/{hostId}");
    return ApiResponse.json(202, json.render(terminate.terminate(request.actor(), request.pathParameter("hostId"))));
  }

  private ApiResponse stop(ApiRequest request) {
    request.query(Set.of());
    request.noBody("POST /hosts/{hostId}/stop");
    return ApiResponse.json(202, json.render(stop.stop(request.actor(), request.pathParameter("hostId"))));
  }

  private ApiResponse start(ApiRequest request) {
    request.query(Set.of());
    request.noBody("POST /hosts/{hostId}/start");
    return ApiResponse.json(202, json.render(start.start(request.actor(), request.pathParameter("hostId"),
        request.header("Idempotency-Key").orElse(null))));
  }

  private ApiResponse extend(ApiRequest request) {
    request.query(Set.of());
    int ttlHours = HostRequestBody.ttlHours(request.jsonBody(HostRequestBody.EXTEND_EXAMPLE), policy);
    return ApiResponse.json(200, json.render(extend.extend(request.actor(), request.pathParameter("hostId"),
        ttlHours)));
  }

  private static boolean allFlag(String value) {
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.equals("true")) {
      return true;
    }
    throw Rejection.invalid("all", "must be true or false, got '" + value + "'");
  }
}

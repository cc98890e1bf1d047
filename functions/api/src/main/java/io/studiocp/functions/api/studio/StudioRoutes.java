package io.studiocp.functions.api.studio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.functions.api.ApiRequest;
import io.studiocp.functions.api.ApiResponse;
import io.studiocp.functions.api.ApiWiring;
import io.studiocp.functions.api.Route;
import io.studiocp.identity.Actor;
import io.studiocp.identity.IdentityPolicy;
import io.studiocp.platform.Json;
import io.studiocp.platform.Lazy;
import io.studiocp.pricing.PriceList;
import io.studiocp.sessions.OpenStudio;
import io.studiocp.sessions.StudioApps;
import io.studiocp.sessions.StudioSessions;
import io.studiocp.sessions.StudioSpaces;
import io.studiocp.sessions.aws.SageMakerStudioSessions;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /studio}: a presigned URL into Studio, my apps (list, tear down), my spaces (list, create,
 * delete). Seed 001's {@code sm_studio}, through the signed API.
 */
public final class StudioRoutes {

  private static final Set<String> APPS_QUERY = Set.of("all");
  private static final Set<String> TEARDOWN_QUERY = Set.of("dryRun", "keepDefault", "keep", "space");

  private final Lazy<OpenStudio> open;
  private final Lazy<StudioApps> apps;
  private final Lazy<StudioSpaces> spaces;

  private StudioRoutes(Lazy<OpenStudio> open, Lazy<StudioApps> apps, Lazy<StudioSpaces> spaces) {
    this.open = open;
    this.apps = apps;
    this.spaces = spaces;
  }

  /** The routes; their use cases (and the SDK's SageMaker client) are built on the first call of one. */
  public static List<Route> from(ApiWiring api) {
    Lazy<StudioSessions> studio = Lazy.of(() -> new SageMakerStudioSessions(api.sagemaker().get()));
    List<String> domains = IdentityPolicy.from(api.env()).domainIds();
    return new StudioRoutes(Lazy.of(() -> new OpenStudio(studio.get(), api.clock())),
        Lazy.of(() -> new StudioApps(studio.get(), PriceList.from(api.env()), domains, api.clock())),
        Lazy.of(() -> new StudioSpaces(studio.get(), domains)))
        .routes();
  }

  private List<Route> routes() {
    return List.of(
        new Route("POST", "/studio/url", this::url),
        new Route("GET", "/studio/apps", this::listApps),
        new Route("DELETE", "/studio/apps", this::tearDown),
        new Route("GET", "/studio/spaces", this::listSpaces),
        new Route("POST", "/studio/spaces", this::createSpace),
        new Route("DELETE", "/studio/spaces/{name}", this::deleteSpace));
  }

  private ApiResponse url(ApiRequest request) {
    request.query(Set.of());
    ObjectNode body = StudioBody.object(request.jsonBody(StudioBody.URL_EXAMPLE), StudioBody.URL_FIELDS,
        StudioBody.URL_EXAMPLE);
    OpenStudio.Request asked = new OpenStudio.Request(
        StudioBody.text(body, "space", "my-project"),
        StudioBody.text(body, "app", "jupyterlab"),
        StudioBody.whole(body, "sessionExpirationSeconds"),
        StudioBody.whole(body, "expiresInSeconds"));
    return ApiResponse.json(200, StudioJson.session(open.get().open(request.actor(), asked)));
  }

  private ApiResponse listApps(ApiRequest request) {
    boolean all = StudioBody.flag(request.query(APPS_QUERY), "all", false);
    Actor actor = request.actor();
    return ApiResponse.json(200, StudioJson.apps(all ? apps.get().all(actor) : apps.get().mine(actor)));
  }

  private ApiResponse tearDown(ApiRequest request) {
    Map<String, String> query = request.query(TEARDOWN_QUERY);
    Set<String> keep = new LinkedHashSet<>();
    Optional.ofNullable(query.get("keep")).ifPresent(k -> Arrays.stream(k.split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).forEach(keep::add));
    StudioApps.Teardown asked = new StudioApps.Teardown(StudioBody.flag(query, "dryRun", false),
        StudioBody.flag(query, "keepDefault", true), keep, Optional.ofNullable(query.get("space")));
    StudioApps.TeardownResult result = apps.get().tearDown(request.actor(), asked);
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("dryRun", result.dryRun());
    body.set("deleted", StudioJson.appList(result.deleted()));
    body.set("kept", StudioJson.appList(result.kept()));
    return ApiResponse.json(result.dryRun() || result.deleted().isEmpty() ? 200 : 202, body);
  }

  private ApiResponse listSpaces(ApiRequest request) {
    request.query(Set.of());
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode list = body.putArray("spaces");
    spaces.get().list(request.actor()).forEach(s -> list.add(StudioJson.space(s)));
    return ApiResponse.json(200, body);
  }

  private ApiResponse createSpace(ApiRequest request) {
    request.query(Set.of());
    ObjectNode body = StudioBody.object(request.jsonBody(StudioBody.SPACE_EXAMPLE), StudioBody.SPACE_FIELDS,
        StudioBody.SPACE_EXAMPLE);
    String name = StudioBody.text(body, "name", "my-project").orElseThrow(() ->
        io.studiocp.platform.Rejection.invalid("name", "is required, for example " + StudioBody.SPACE_EXAMPLE));
    var created = spaces.get().create(request.actor(), name, StudioBody.bool(body, "shared").orElse(false),
        StudioBody.text(body, "app", "jupyterlab"));
    return ApiResponse.json(201, StudioJson.space(created));
  }

  private ApiResponse deleteSpace(ApiRequest request) {
    Map<String, String> query = request.query(Set.of("domainId"));
    return ApiResponse.json(202, StudioJson.deletion(spaces.get().delete(request.actor(), request.pathParameter("name"),
        Optional.ofNullable(query.get("domainId")))));
  }
}

package io.studiocp.functions.api.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.admin.AdminReport;
import io.studiocp.admin.AdminReports;
import io.studiocp.admin.ReportSummary;
import io.studiocp.functions.api.ApiRequest;
import io.studiocp.functions.api.ApiResponse;
import io.studiocp.functions.api.ApiWiring;
import io.studiocp.functions.api.Route;
import io.studiocp.identity.Actor;
import io.studiocp.identity.IdentityPolicy;
import io.studiocp.platform.Json;
import io.studiocp.platform.Lazy;
import io.studiocp.platform.Rejection;
import io.studiocp.platform.Settings;
import io.studiocp.police.PolicePolicy;
import io.studiocp.police.aws.SageMakerStudioInventory;
import io.studiocp.pricing.PriceList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;

/**
 * {@code GET /admin/report}: the admin console's report for admins who have no console access
 * ({@code sdocker admin report}). Admin principals (AdminPrincipals) only: anyone else gets a 403
 * that tells nothing of what runs, before anything is read.
 */
public final class AdminRoutes {

  private final Lazy<AdminReports> reports;

  private AdminRoutes(Lazy<AdminReports> reports) {
    this.reports = reports;
  }

  /** The route; the report's use case and its clients are built on its first call. */
  public static List<Route> from(ApiWiring api) {
    // The police's prices, so that the report and the digests agree.
    PriceList prices = PriceList.from(api.env())
        .withHourly(PolicePolicy.parse(api.env().text(Settings.POLICE_POLICY, "")).hourlyPriceUsd());
    List<String> domains = IdentityPolicy.from(api.env()).domainIds();
    AdminRoutes routes = new AdminRoutes(Lazy.of(() -> new AdminReports(new SageMakerStudioInventory(
        api.sagemaker().get(),
        api.aws().build(ResourceGroupsTaggingApiClient.builder(), "RESOURCE_GROUPS_TAGGING_API")),
        api.fleet(), prices, domains, api.clock(), java.util.Optional.of(api.ssh().get()))));
    return List.of(new Route("GET", "/admin/report", routes::report));
  }

  private ApiResponse report(ApiRequest request) {
    Actor actor = request.actor();
    if (!actor.admin()) {
      throw Rejection.forbidden("only admins (AdminPrincipals) may read the admin report");
    }
    request.query(Set.of());
    AdminReport report = reports.get().report();
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("summary", ReportSummary.render(report));
    body.set("report", Json.mapper().valueToTree(report));
    return ApiResponse.json(200, body);
  }
}

package io.studiocp.functions.api.studio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.platform.Json;
import io.studiocp.sessions.AppView;
import io.studiocp.sessions.OpenStudio;
import io.studiocp.sessions.StudioApp;
import io.studiocp.sessions.StudioSpaces;
import java.util.List;

/** Studio sessions, apps and spaces as the API shows them (README § The API). */
final class StudioJson {

  private StudioJson() {}

  static ObjectNode session(OpenStudio.Session session) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("url", session.url());
    node.put("expiresAt", session.urlExpiresAt().toString());
    node.put("sessionExpirationSeconds", session.session().toSeconds());
    session.space().ifPresent(s -> node.put("space", s));
    node.put("spaceCreated", session.spaceCreated());
    session.app().ifPresent(a -> node.put("app", a.appType()));
    return node;
  }

  static ObjectNode app(AppView view) {
    StudioApp app = view.app();
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("appType", app.appType());
    node.put("appName", app.appName());
    app.spaceName().ifPresent(s -> node.put("space", s));
    app.userProfileName().ifPresent(p -> node.put("userProfileName", p));
    view.owner().ifPresent(o -> node.putObject("owner").put("domainId", o.domainId())
        .put("userProfileName", o.userProfileName()));
    app.instanceType().ifPresent(t -> node.put("instanceType", t));
    node.put("status", app.status());
    node.put("createdAt", app.createdAt().toString());
    node.put("ageSeconds", view.age().toSeconds());
    view.hourlyUsd().ifPresent(h -> node.put("hourlyUsd", round(h)));
    view.costUsd().ifPresent(c -> node.put("costUsd", round(c)));
    return node;
  }

  static ObjectNode apps(List<AppView> views) {
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode list = body.putArray("apps");
    views.forEach(v -> list.add(app(v)));
    body.put("totalCostUsd", round(views.stream().mapToDouble(v -> v.costUsd().orElse(0.0)).sum()));
    body.put("unpricedApps", views.stream().filter(v -> v.costUsd().isEmpty()).count());
    return body;
  }

  static ArrayNode appList(List<AppView> views) {
    ArrayNode list = Json.mapper().createArrayNode();
    views.forEach(v -> list.add(app(v)));
    return list;
  }

  static ObjectNode space(StudioSpaces.SpaceView view) {
    var space = view.space();
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("name", space.name());
    node.put("sharing", space.shared() ? "Shared" : "Private");
    space.owner().ifPresent(o -> node.put("owner", o));
    node.put("mine", view.mine());
    node.put("status", space.status());
    space.appType().ifPresent(a -> node.put("app", a));
    node.put("createdAt", space.createdAt().toString());
    ArrayNode apps = node.putArray("apps");
    view.apps().stream().filter(a -> !a.status().equals("Deleted")).forEach(a -> apps.addObject()
        .put("appType", a.appType()).put("appName", a.appName()).put("status", a.status()));
    return node;
  }

  static ObjectNode deletion(StudioSpaces.Deletion deletion) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("space", deletion.spaceName());
    node.put("status", switch (deletion.stage()) {
      case DELETING -> "Deleting";
      case DELETING_APPS -> "DeletingApps";
    });
    ArrayNode apps = node.putArray("appsGoing");
    deletion.appsGoing().forEach(a -> apps.addObject().put("appType", a.appType()).put("appName", a.appName()));
    return node;
  }

  /** Cents and their hundredths: a cost estimate, not an invoice. */
  static double round(double usd) {
    return Math.round(usd * 10000) / 10000.0;
  }
}

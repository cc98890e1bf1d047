package io.studiocp.admin;

import io.studiocp.platform.Rejection;
import java.util.ArrayList;
import java.util.List;

/** An admin's delete of one Studio app, or of every running app of a space (the users' files stay). */
public final class AdminApps {

  private final StudioApps studio;
  private final List<String> domainIds;

  public AdminApps(StudioApps studio, List<String> domainIds) {
    this.studio = studio;
    this.domainIds = List.copyOf(domainIds);
  }

  public Change deleteApp(Target.App target, boolean dryRun) {
    Domains.requireManaged(target.domainId(), domainIds);
    StudioApps.App app = studio.app(target).orElseThrow(() -> Rejection.notFound("no " + target.describe()
        + "; the report lists the running apps (appType and appName as ListApps shows them)"));
    if (!app.running()) {
      return new Change("delete-app", target.describe(), dryRun, app.status(), List.of(),
          "nothing to do: the app is " + app.status());
    }
    if (!dryRun) {
      studio.delete(app);
    }
    return new Change("delete-app", target.describe(), dryRun, app.status(), List.of("delete app " + app.arn()),
        dryRun ? "would delete it; the user's files stay on EFS" : "Deleting; the user's files stay on EFS");
  }

  public Change deleteSpaceApps(Target.Space target, boolean dryRun) {
    Domains.requireManaged(target.domainId(), domainIds);
    StudioApps.Space space = studio.space(target.domainId(), target.spaceName()).orElseThrow(() ->
        Rejection.notFound("no " + target.describe() + "; the report lists the spaces"));
    List<String> changes = new ArrayList<>();
    for (StudioApps.App app : studio.appsOf(space)) {
      if (app.running()) {
        changes.add("delete app " + app.arn());
        if (!dryRun) {
          studio.delete(app);
        }
      }
    }
    String outcome = changes.isEmpty() ? "nothing to do: no app of the space runs"
        : (dryRun ? "would delete " : "deleting ") + changes.size() + " app(s); the space and its files stay";
    return new Change("delete-space-apps", target.describe(), dryRun, space.status(), changes, outcome);
  }
}

package io.studiocp.sessions;

import io.studiocp.identity.Actor;
import io.studiocp.platform.Concurrently;
import io.studiocp.platform.Rejection;
import io.studiocp.pricing.PriceList;
import io.studiocp.studio.StudioUser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /studio/apps} and {@code DELETE /studio/apps} ({@code sdocker studio status} and
 * {@code studio down}). The caller's apps are those of their user profile and those in spaces they
 * own. Tearing down deletes the running ones except what the caller keeps: by default the "default"
 * JupyterServer, JupyterLab or Code Editor app that holds the Studio session; a dry run says what
 * would go and deletes nothing.
 */
public final class StudioApps {

  /**
   * What to tear down.
   *
   * @param keepDefault keep the apps that hold the caller's session: their profile's "default"
   *     JupyterServer (Studio Classic) and every app of {@code sessionSpace}
   * @param sessionSpace the space the caller runs in (Studio's JupyterLab or Code Editor), if any
   */
  public record Teardown(boolean dryRun, boolean keepDefault, Set<String> keep, Optional<String> sessionSpace) {

    public Teardown {
      keep = Set.copyOf(keep);
      sessionSpace.ifPresent(s -> Callers.spaceName("space", s));
    }

    public Teardown(boolean dryRun, boolean keepDefault, Set<String> keep) {
      this(dryRun, keepDefault, keep, Optional.empty());
    }

    public static Teardown standard() {
      return new Teardown(false, true, Set.of());
    }

    boolean holdsTheSession(StudioApp app) {
      return app.isDefault() || app.spaceName().isPresent() && app.spaceName().equals(sessionSpace);
    }
  }

  /** What was (or, in a dry run, would be) deleted, and what was kept. */
  public record TeardownResult(boolean dryRun, List<AppView> deleted, List<AppView> kept) {}

  private final StudioSessions studio;
  private final PriceList prices;
  private final List<String> domainIds;
  private final Clock clock;

  /** @param domainIds the control plane's domains, which an admin's {@link #all} reads */
  public StudioApps(StudioSessions studio, PriceList prices, List<String> domainIds, Clock clock) {
    this.studio = studio;
    this.prices = prices;
    this.domainIds = List.copyOf(domainIds);
    this.clock = clock;
  }

  /** The caller's apps that SageMaker still lists (Deleted ones left out), oldest first. */
  public List<AppView> mine(Actor actor) {
    StudioUser user = Callers.user(actor);
    return views(user.domainId()).stream().filter(v -> v.owner().map(user::equals).orElse(false)).toList();
  }

  /** Every user's apps in the control plane's domains: admins only. */
  public List<AppView> all(Actor actor) {
    if (!actor.admin()) {
      throw Rejection.forbidden("only admins may list every user's apps (all=true)");
    }
    var reads = domainIds.stream().map(d -> Concurrently.start(() -> views(d))).toList();
    List<AppView> all = new ArrayList<>();
    reads.forEach(r -> all.addAll(Concurrently.join(r)));
    return all;
  }

  public TeardownResult tearDown(Actor actor, Teardown request) {
    StudioUser user = Callers.user(actor);
    request.keep().forEach(name -> Callers.appName("keep", name));
    List<AppView> running = mine(actor).stream().filter(v -> v.app().running()).toList();
    Set<String> unknown = new LinkedHashSet<>(request.keep());
    running.forEach(v -> unknown.remove(v.app().appName()));
    if (!unknown.isEmpty()) {
      throw Rejection.invalid("keep", "no running app of " + user + " is named " + String.join(", ", unknown)
          + "; running: " + String.join(", ", running.stream().map(v -> v.app().appName()).distinct().toList()));
    }
    List<AppView> deleted = new ArrayList<>();
    List<AppView> kept = new ArrayList<>();
    for (AppView view : running) {
      boolean keep = request.keep().contains(view.app().appName()) || request.keepDefault() && request.holdsTheSession(view.app());
      (keep ? kept : deleted).add(view);
    }
    if (!request.dryRun()) {
      deleted.forEach(v -> studio.deleteApp(v.app()));
    }
    return new TeardownResult(request.dryRun(), deleted, kept);
  }

  private List<AppView> views(String domainId) {
    var spaceRead = Concurrently.start(() -> studio.spaces(domainId));
    List<StudioApp> apps = studio.apps(domainId);
    Map<String, StudioSpace> spaces = new HashMap<>();
    Concurrently.join(spaceRead).forEach(s -> spaces.put(s.name(), s));
    Instant now = clock.instant();
    return apps.stream()
        .filter(a -> !a.status().equals("Deleted"))
        .sorted(Comparator.comparing(StudioApp::createdAt))
        .map(a -> view(a, owner(a, spaces), now))
        .toList();
  }

  private static Optional<StudioUser> owner(StudioApp app, Map<String, StudioSpace> spaces) {
    if (app.userProfileName().isPresent()) {
      return Optional.of(new StudioUser(app.domainId(), app.userProfileName().get()));
    }
    return app.spaceName().map(spaces::get).flatMap(StudioSpace::owner)
        .map(owner -> new StudioUser(app.domainId(), owner));
  }

  private AppView view(StudioApp app, Optional<StudioUser> owner, Instant now) {
    Duration age = Duration.between(app.createdAt(), now);
    if (age.isNegative()) {
      age = Duration.ZERO;
    }
    if (!app.hasInstance()) {
      return new AppView(app, owner, age, Optional.of(0.0), Optional.of(0.0));
    }
    Optional<Double> hourly = prices.hourly(app.instanceType().get());
    Duration running = age;
    return new AppView(app, owner, age, hourly.map(h -> h * running.toSeconds() / 3600.0), hourly);
  }
}

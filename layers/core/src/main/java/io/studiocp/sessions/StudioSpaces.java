package io.studiocp.sessions;

import io.studiocp.identity.Actor;
import io.studiocp.platform.Rejection;
import io.studiocp.studio.StudioUser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code /studio/spaces} ({@code sdocker studio spaces list|create|delete}): the spaces the caller
 * can open (their own and the domain's shared ones), a new one owned by the caller, and deleting one
 * they own (an admin any). A space goes only once its apps are Deleted, which takes SageMaker a
 * while: a delete first deletes the space's apps and says which are still going; asked again once they
 * are gone, it deletes the space.
 */
public final class StudioSpaces {

  /** A space as the caller sees it. */
  public record SpaceView(StudioSpace space, boolean mine, List<StudioApp> apps) {}

  /** Where a delete stands: the space is going, or its apps still are (ask again). */
  public record Deletion(String spaceName, Stage stage, List<StudioApp> appsGoing) {

    public enum Stage {
      /** Its apps are being deleted; ask again once they are Deleted. */
      DELETING_APPS,
      /** SageMaker is deleting the space itself. */
      DELETING
    }
  }

  private final StudioSessions studio;
  private final List<String> domainIds;

  public StudioSpaces(StudioSessions studio, List<String> domainIds) {
    this.studio = studio;
    this.domainIds = List.copyOf(domainIds);
  }

  public List<SpaceView> list(Actor actor) {
    StudioUser user = Callers.user(actor);
    List<StudioApp> apps = studio.apps(user.domainId());
    return studio.spaces(user.domainId()).stream()
        .filter(s -> s.openTo(user.userProfileName()))
        .sorted(Comparator.comparing(StudioSpace::name))
        .map(s -> new SpaceView(s, s.ownedBy(user.userProfileName()), appsIn(s, apps)))
        .toList();
  }

  /** Creates a space owned by the caller; a name the domain already has is a conflict. */
  public SpaceView create(Actor actor, String name, boolean shared, Optional<String> app) {
    StudioUser user = Callers.user(actor);
    Callers.spaceName("name", name);
    LandingApp appType = app.map(a -> LandingApp.parse("app", a)).orElse(LandingApp.JUPYTER_LAB);
    if (studio.space(user.domainId(), name).isPresent()) {
      throw Rejection.conflict("SpaceExists", "domain " + user.domainId() + " already has a space named " + name
          + "; choose another name");
    }
    studio.createSpace(user, name, shared, appType.appType());
    StudioSpace space = studio.space(user.domainId(), name).orElseThrow(() ->
        new IllegalStateException("space " + name + " was created but SageMaker does not describe it"));
    return new SpaceView(space, true, List.of());
  }

  /**
   * Deletes the caller's space (an admin's: any), its apps first.
   *
   * @param domainId for an admin who acts as no Studio user: the domain (empty: the only one there is)
   */
  public Deletion delete(Actor actor, String name, Optional<String> domainId) {
    Callers.spaceName("name", name);
    String domain = domainOf(actor, domainId);
    StudioSpace space = studio.space(domain, name)
        .filter(s -> actor.admin() || actor.user().map(u -> s.ownedBy(u.userProfileName())).orElse(false))
        .orElseThrow(() -> Rejection.notFound("no space " + name + " of yours in domain " + domain
            + "; 'sdocker studio spaces list' shows yours"));
    if (space.status().equals("Deleting")) {
      return new Deletion(name, Deletion.Stage.DELETING, List.of());
    }
    List<StudioApp> going = new ArrayList<>();
    for (StudioApp app : appsIn(space, studio.apps(domain))) {
      if (app.status().equals("Deleted")) {
        continue;
      }
      if (!app.status().equals("Deleting") && !app.status().equals("Failed")) {
        studio.deleteApp(app);
      }
      if (!app.status().equals("Failed")) {
        going.add(app);
      }
    }
    if (!going.isEmpty()) {
      return new Deletion(name, Deletion.Stage.DELETING_APPS, going);
    }
    studio.deleteSpace(domain, name);
    return new Deletion(name, Deletion.Stage.DELETING, List.of());
  }

  private String domainOf(Actor actor, Optional<String> domainId) {
    if (actor.user().isPresent()) {
      if (domainId.isPresent() && !domainId.get().equals(actor.user().get().domainId())) {
        throw Rejection.invalid("domainId", "you act as " + actor.user().get() + "; leave domainId out");
      }
      return actor.user().get().domainId();
    }
    if (!actor.admin()) {
      Callers.user(actor);
    }
    if (domainId.isPresent()) {
      if (!domainIds.contains(domainId.get())) {
        throw Rejection.notFound("domain " + domainId.get() + " is not one of this control plane's");
      }
      return domainId.get();
    }
    if (domainIds.size() == 1) {
      return domainIds.get(0);
    }
    throw Rejection.invalid("domainId", "name the domain of the space: one of " + String.join(", ", domainIds));
  }

  private static List<StudioApp> appsIn(StudioSpace space, List<StudioApp> apps) {
    return apps.stream().filter(a -> a.spaceName().map(space.name()::equals).orElse(false)).toList();
  }
}

package io.studiocp.sessions;

import io.studiocp.studio.StudioUser;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the Studio sessions need of SageMaker. A refusal SageMaker gives for a reason the caller can
 * fix (a name in use, a limit) comes back as a {@link io.studiocp.platform.Rejection}.
 */
public interface StudioSessions {

  /** Every app of the domain SageMaker still lists (every page). */
  List<StudioApp> apps(String domainId);

  /** Every space of the domain (every page). */
  List<StudioSpace> spaces(String domainId);

  Optional<StudioSpace> space(String domainId, String name);

  /** Creates a space owned by {@code owner}, with the domain's default settings for the rest. */
  void createSpace(StudioUser owner, String name, boolean shared, String appType);

  /** Starts deleting the space (all its apps must be Deleted). */
  void deleteSpace(String domainId, String name);

  /** Starts deleting the app; one already gone is not an error. */
  void deleteApp(StudioApp app);

  /**
   * A URL that signs the user into Studio.
   *
   * @param space the space to open, if any
   * @param landingUri where Studio opens ({@code app:JupyterLab:}), if not its home
   */
  String presignedUrl(StudioUser user, Optional<String> space, Optional<String> landingUri, Duration session,
      Duration expiresIn);
}

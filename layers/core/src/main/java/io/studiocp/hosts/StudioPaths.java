package io.studiocp.hosts;

import io.studiocp.platform.ConfigurationException;
import io.studiocp.platform.Env;
import io.studiocp.platform.Settings;
import io.studiocp.studio.StudioUser;

/**
 * Where a Studio user's EFS home appears, in Studio and therefore on the host (the same absolute
 * path, so bind mounts of SageMaker local mode resolve). {@code {userProfile}} in the template is
 * replaced by the profile's name; the sandbox uses it to give each user a directory of their own.
 */
public record StudioPaths(String homeTemplate, long gid) {

  public static StudioPaths from(Env env) {
    String home = env.text(Settings.STUDIO_HOME_PATH, "/home/sagemaker-user");
    if (!home.startsWith("/") || home.contains("..") || home.endsWith("/") || home.contains(" ")) {
      throw new ConfigurationException("parameter StudioHomePath (environment variable "
          + "STUDIO_HOME_PATH) must be an absolute path without spaces, '..' or a trailing '/', got '"
          + home + "'");
    }
    return new StudioPaths(home, env.integer(Settings.STUDIO_USER_GID, 100, 0, Integer.MAX_VALUE));
  }

  public String home(StudioUser user) {
    return homeTemplate.replace("{userProfile}", user.userProfileName());
  }

  public String certDirectory(StudioUser user, HostId id) {
    return home(user) + "/.sdocker/hosts/" + id.value();
  }
}

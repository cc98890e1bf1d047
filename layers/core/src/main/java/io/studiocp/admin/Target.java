package io.studiocp.admin;

/** What an admin action is about: a Docker host, a Studio app, or a space. */
public sealed interface Target {

  /** How the target reads in messages and audit lines. */
  String describe();

  /** The domain it lives in, when the target names one (a host's is on the host). */
  default String domainId() {
    return null;
  }

  record Host(String hostId) implements Target {
    @Override
    public String describe() {
      return "host " + hostId;
    }
  }

  /** An app of a user profile ({@code userProfile}) or of a space ({@code space}): exactly one of the two. */
  record App(String domainId, String userProfile, String space, String appType, String appName) implements Target {
    @Override
    public String describe() {
      return appType + " app " + appName + " of " + (space != null ? "space " + space : "user " + userProfile) + " in "
          + domainId;
    }
  }

  record Space(String domainId, String spaceName) implements Target {
    @Override
    public String describe() {
      return "space " + spaceName + " in " + domainId;
    }
  }
}

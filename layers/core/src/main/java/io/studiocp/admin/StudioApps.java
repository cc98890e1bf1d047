package io.studiocp.admin;

import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Single Studio apps and spaces, as the admin console finds, marks and deletes them. */
public interface StudioApps {

  /** An app as DescribeApp shows it. */
  record App(String arn, String domainId, String userProfile, String space, String appType, String appName,
      String status, String instanceType, Instant createdAt) {

    public boolean running() {
      return "InService".equals(status) || "Pending".equals(status);
    }
  }

  /** A space as DescribeSpace shows it; {@code owner} only for a private space. */
  record Space(String arn, String domainId, String name, String status, String sharingType, Optional<StudioUser> owner) {}

  Optional<App> app(Target.App target);

  Optional<Space> space(String domainId, String spaceName);

  /** The space's apps in any state. */
  List<App> appsOf(Space space);

  /** Deletes the app (the user's files stay on EFS); one already gone is no error. */
  void delete(App app);

  /** The resource's tags (an app's or a space's ARN). */
  Map<String, String> tags(String arn);

  /** Sets the tags on the resources. */
  void tag(List<String> arns, Map<String, String> tags);
}

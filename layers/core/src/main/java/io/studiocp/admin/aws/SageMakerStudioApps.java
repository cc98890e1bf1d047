package io.studiocp.admin.aws;

import io.studiocp.admin.StudioApps;
import io.studiocp.admin.Target;
import io.studiocp.platform.AwsFailures;
import io.studiocp.studio.StudioUser;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AppDetails;
import software.amazon.awssdk.services.sagemaker.model.DescribeAppResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeSpaceResponse;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/** {@link StudioApps} over SageMaker: DescribeApp, DescribeSpace, ListApps, DeleteApp, ListTags, AddTags. */
public final class SageMakerStudioApps implements StudioApps {

  private final SageMakerClient sagemaker;

  public SageMakerStudioApps(SageMakerClient sagemaker) {
    this.sagemaker = sagemaker;
  }

  @Override
  public Optional<App> app(Target.App t) {
    try {
      DescribeAppResponse r = sagemaker.describeApp(b -> b.domainId(t.domainId()).userProfileName(t.userProfile())
          .spaceName(t.space()).appType(t.appType()).appName(t.appName()));
      return Optional.of(new App(r.appArn(), r.domainId(), r.userProfileName(), r.spaceName(), r.appTypeAsString(),
          r.appName(), r.statusAsString(), r.resourceSpec() == null ? null : r.resourceSpec().instanceTypeAsString(),
          r.creationTime()));
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeApp " + t.describe(), e);
    }
  }

  @Override
  public Optional<Space> space(String domainId, String spaceName) {
    try {
      DescribeSpaceResponse r = sagemaker.describeSpace(b -> b.domainId(domainId).spaceName(spaceName));
      String sharing = r.spaceSharingSettings() == null ? "Shared" : r.spaceSharingSettings().sharingTypeAsString();
      Optional<StudioUser> owner = "Private".equals(sharing) && r.ownershipSettings() != null
          ? Optional.of(new StudioUser(domainId, r.ownershipSettings().ownerUserProfileName())) : Optional.empty();
      return Optional.of(new Space(r.spaceArn(), domainId, r.spaceName(), r.statusAsString(), sharing, owner));
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeSpace " + spaceName, e);
    }
  }

  @Override
  public List<App> appsOf(Space space) {
    try {
      String prefix = space.arn().substring(0, space.arn().indexOf("space/"));
      return sagemaker.listAppsPaginator(b -> b.domainIdEquals(space.domainId()).spaceNameEquals(space.name())
          .maxResults(100)).apps().stream().map(a -> toApp(a, prefix)).toList();
    } catch (SdkException e) {
      throw AwsFailures.classify("ListApps of space " + space.name(), e);
    }
  }

  private static App toApp(AppDetails a, String arnPrefix) {
    String parent = a.spaceName() != null ? a.spaceName() : a.userProfileName();
    String arn = arnPrefix + "app/" + a.domainId() + "/" + parent + "/" + a.appTypeAsString().toLowerCase(java.util.Locale.ROOT)
        + "/" + a.appName();
    return new App(arn, a.domainId(), a.userProfileName(), a.spaceName(), a.appTypeAsString(), a.appName(),
        a.statusAsString(), a.resourceSpec() == null ? null : a.resourceSpec().instanceTypeAsString(), a.creationTime());
  }

  @Override
  public void delete(App app) {
    try {
      sagemaker.deleteApp(b -> b.domainId(app.domainId()).userProfileName(app.userProfile()).spaceName(app.space())
          .appType(app.appType()).appName(app.appName()));
    } catch (ResourceNotFoundException e) {
      // already gone
    } catch (SdkException e) {
      throw AwsFailures.classify("DeleteApp " + app.arn(), e);
    }
  }

  @Override
  public Map<String, String> tags(String arn) {
    try {
      Map<String, String> tags = new HashMap<>();
      sagemaker.listTagsPaginator(b -> b.resourceArn(arn).maxResults(100)).tags()
          .forEach(t -> tags.put(t.key(), t.value()));
      return tags;
    } catch (SdkException e) {
      throw AwsFailures.classify("ListTags " + arn, e);
    }
  }

  @Override
  public void tag(List<String> arns, Map<String, String> tags) {
    List<Tag> list = tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    for (String arn : arns) {
      try {
        sagemaker.addTags(b -> b.resourceArn(arn).tags(list));
      } catch (SdkException e) {
        throw AwsFailures.classify("AddTags " + arn, e);
      }
    }
  }
}

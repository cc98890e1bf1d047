package io.studiocp.sessions.aws;

import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.Rejection;
import io.studiocp.sessions.StudioApp;
import io.studiocp.sessions.StudioSessions;
import io.studiocp.sessions.StudioSpace;
import io.studiocp.studio.StudioUser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AppDetails;
import software.amazon.awssdk.services.sagemaker.model.DescribeSpaceResponse;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.ResourceLimitExceededException;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.SharingType;
import software.amazon.awssdk.services.sagemaker.model.SpaceDetails;

/**
 * {@link StudioSessions} over the SageMaker API. SageMaker's refusals the caller can act on (a name
 * in use, an app already being deleted, a limit) become rejections carrying SageMaker's own words.
 */
public final class SageMakerStudioSessions implements StudioSessions {

  private static final int PAGE = 100;

  private final SageMakerClient sagemaker;

  public SageMakerStudioSessions(SageMakerClient sagemaker) {
    this.sagemaker = sagemaker;
  }

  @Override
  public List<StudioApp> apps(String domainId) {
    try {
      return sagemaker.listAppsPaginator(r -> r.domainIdEquals(domainId).maxResults(PAGE)).apps().stream()
          .map(SageMakerStudioSessions::app)
          .toList();
    } catch (SdkException e) {
      throw AwsFailures.classify("ListApps " + domainId, e);
    }
  }

  @Override
  public List<StudioSpace> spaces(String domainId) {
    try {
      return sagemaker.listSpacesPaginator(r -> r.domainIdEquals(domainId).maxResults(PAGE)).spaces().stream()
          .map(SageMakerStudioSessions::space)
          .toList();
    } catch (SdkException e) {
      throw AwsFailures.classify("ListSpaces " + domainId, e);
    }
  }

  @Override
  public Optional<StudioSpace> space(String domainId, String name) {
    try {
      DescribeSpaceResponse s = sagemaker.describeSpace(r -> r.domainId(domainId).spaceName(name));
      return Optional.of(new StudioSpace(s.domainId(), s.spaceName(), s.statusAsString(),
          s.spaceSharingSettings() == null || s.spaceSharingSettings().sharingType() != SharingType.PRIVATE,
          Optional.ofNullable(s.ownershipSettings()).map(o -> o.ownerUserProfileName()),
          Optional.ofNullable(s.spaceSettings()).map(x -> x.appTypeAsString()),
          orEpoch(s.creationTime()),
          s.spaceSettings() != null && "ENABLED".equals(s.spaceSettings().remoteAccessAsString()),
          Optional.ofNullable(s.spaceArn())));
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeSpace " + domainId + "/" + name, e);
    }
  }

  @Override
  public void createSpace(StudioUser owner, String name, boolean shared, String appType) {
    try {
      sagemaker.createSpace(r -> r.domainId(owner.domainId()).spaceName(name)
          .ownershipSettings(o -> o.ownerUserProfileName(owner.userProfileName()))
          .spaceSharingSettings(s -> s.sharingType(shared ? SharingType.SHARED : SharingType.PRIVATE))
          .spaceSettings(s -> s.appType(appType)));
    } catch (ResourceInUseException e) {
      throw Rejection.conflict("SpaceExists", "domain " + owner.domainId() + " already has a space named " + name
          + "; choose another name");
    } catch (ResourceLimitExceededException e) {
      throw Rejection.conflict("SpaceLimitExceeded", "SageMaker refuses another space: " + message(e));
    } catch (SdkException e) {
      throw AwsFailures.classify("CreateSpace " + owner.domainId() + "/" + name, e);
    }
  }

  @Override
  public void deleteSpace(String domainId, String name) {
    try {
      sagemaker.deleteSpace(r -> r.domainId(domainId).spaceName(name));
    } catch (ResourceNotFoundException e) {
      // already gone
    } catch (ResourceInUseException e) {
      throw Rejection.conflict("SpaceInUse", "space " + name + " cannot be deleted yet: " + message(e));
    } catch (SdkException e) {
      throw AwsFailures.classify("DeleteSpace " + domainId + "/" + name, e);
    }
  }

  @Override
  public void deleteApp(StudioApp app) {
    try {
      sagemaker.deleteApp(r -> r.domainId(app.domainId()).userProfileName(app.userProfileName().orElse(null))
          .spaceName(app.spaceName().orElse(null)).appType(app.appType()).appName(app.appName()));
    } catch (ResourceNotFoundException e) {
      // already gone
    } catch (ResourceInUseException e) {
      // already being deleted: what was asked for is under way
    } catch (SdkException e) {
      throw AwsFailures.classify("DeleteApp " + app.appType() + " " + app.appName() + " in " + app.where(), e);
    }
  }

  @Override
  public String presignedUrl(StudioUser user, Optional<String> space, Optional<String> landingUri, Duration session,
      Duration expiresIn) {
    try {
      return sagemaker.createPresignedDomainUrl(r -> r.domainId(user.domainId())
          .userProfileName(user.userProfileName())
          .spaceName(space.orElse(null))
          .landingUri(landingUri.orElse(null))
          .sessionExpirationDurationInSeconds((int) session.toSeconds())
          .expiresInSeconds((int) expiresIn.toSeconds())).authorizedUrl();
    } catch (ResourceNotFoundException e) {
      throw Rejection.notFound("SageMaker cannot open Studio for " + user + ": " + message(e));
    } catch (SdkException e) {
      throw AwsFailures.classify("CreatePresignedDomainUrl " + user, e);
    }
  }

  private static StudioApp app(AppDetails a) {
    return new StudioApp(a.domainId(), Optional.ofNullable(a.userProfileName()), Optional.ofNullable(a.spaceName()),
        a.appTypeAsString(), a.appName(), a.statusAsString(),
        Optional.ofNullable(a.resourceSpec()).map(s -> s.instanceTypeAsString()), orEpoch(a.creationTime()));
  }

  private static StudioSpace space(SpaceDetails s) {
    return new StudioSpace(s.domainId(), s.spaceName(), s.statusAsString(),
        s.spaceSharingSettingsSummary() == null
            || s.spaceSharingSettingsSummary().sharingType() != SharingType.PRIVATE,
        Optional.ofNullable(s.ownershipSettingsSummary()).map(o -> o.ownerUserProfileName()),
        Optional.ofNullable(s.spaceSettingsSummary()).map(x -> x.appTypeAsString()), orEpoch(s.creationTime()),
        s.spaceSettingsSummary() != null && "ENABLED".equals(s.spaceSettingsSummary().remoteAccessAsString()));
  }

  private static Instant orEpoch(Instant time) {
    return time == null ? Instant.EPOCH : time;
  }

  private static String message(SdkException e) {
    return e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException s && s.awsErrorDetails() != null
        ? s.awsErrorDetails().errorMessage() : e.getMessage();
  }
}

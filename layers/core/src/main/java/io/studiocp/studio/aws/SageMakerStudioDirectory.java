package io.studiocp.studio.aws;

import io.studiocp.platform.AwsFailures;
import io.studiocp.studio.StudioDirectory;
import io.studiocp.studio.StudioDomain;
import io.studiocp.studio.StudioUser;
import io.studiocp.studio.UserProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeDomainResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeUserProfileResponse;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.UserProfileDetails;

/** {@link StudioDirectory} over the SageMaker API. */
public final class SageMakerStudioDirectory implements StudioDirectory {

  private static final int CONCURRENCY = 8;

  private final SageMakerClient sagemaker;

  public SageMakerStudioDirectory(SageMakerClient sagemaker) {
    this.sagemaker = sagemaker;
  }

  @Override
  public Optional<StudioDomain> domain(String domainId) {
    try {
      DescribeDomainResponse d = sagemaker.describeDomain(r -> r.domainId(domainId));
      var defaults = d.defaultUserSettings();
      return Optional.of(new StudioDomain(d.domainId(), d.vpcId(), d.subnetIds(),
          d.homeEfsFileSystemId(),
          defaults == null ? List.of() : defaults.securityGroups(),
          defaults == null ? null : defaults.executionRole(), "SSO".equals(d.authModeAsString())));
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeDomain " + domainId, e);
    }
  }

  @Override
  public Optional<String> spaceOwner(String domainId, String spaceName) {
    try {
      var space = sagemaker.describeSpace(r -> r.domainId(domainId).spaceName(spaceName));
      return Optional.ofNullable(space.ownershipSettings()).map(o -> o.ownerUserProfileName());
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeSpace " + domainId + "/" + spaceName, e);
    }
  }

  @Override
  public Optional<UserProfile> userProfile(StudioUser user) {
    try {
      return Optional.of(toProfile(sagemaker.describeUserProfile(
          r -> r.domainId(user.domainId()).userProfileName(user.userProfileName()))));
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeUserProfile " + user, e);
    }
  }

  @Override
  public Map<String, String> tags(UserProfile profile) {
    try {
      Map<String, String> tags = new LinkedHashMap<>();
      sagemaker.listTagsPaginator(r -> r.resourceArn(profile.arn())).tags()
          .forEach(t -> tags.put(t.key(), t.value()));
      return tags;
    } catch (ResourceNotFoundException e) {
      return Map.of();
    } catch (SdkException e) {
      throw AwsFailures.classify("ListTags " + profile.arn(), e);
    }
  }

  @Override
  public List<UserProfile> userProfiles(String domainId) {
    List<UserProfileDetails> summaries;
    try {
      summaries = sagemaker.listUserProfilesPaginator(r -> r.domainIdEquals(domainId).maxResults(100))
          .userProfiles().stream().toList();
    } catch (SdkException e) {
      throw AwsFailures.classify("ListUserProfiles " + domainId, e);
    }
    // The list carries no execution role: describe each, a few at a time.
    Semaphore permits = new Semaphore(CONCURRENCY);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Optional<UserProfile>>> futures = new ArrayList<>();
      for (UserProfileDetails summary : summaries) {
        futures.add(pool.submit(() -> {
          permits.acquire();
          try {
            return userProfile(new StudioUser(summary.domainId(), summary.userProfileName()));
          } finally {
            permits.release();
          }
        }));
      }
      List<UserProfile> profiles = new ArrayList<>();
      for (Future<Optional<UserProfile>> future : futures) {
        future.get().ifPresent(profiles::add);
      }
      return profiles;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing user profiles", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static UserProfile toProfile(DescribeUserProfileResponse p) {
    var settings = p.userSettings();
    List<UserProfile.CustomFileSystem> fileSystems = new ArrayList<>();
    if (settings != null && settings.hasCustomFileSystemConfigs()) {
      settings.customFileSystemConfigs().forEach(c -> {
        if (c.efsFileSystemConfig() != null) {
          fileSystems.add(new UserProfile.CustomFileSystem(c.efsFileSystemConfig().fileSystemId(),
              Optional.ofNullable(c.efsFileSystemConfig().fileSystemPath()).orElse("/")));
        }
      });
    }
    return new UserProfile(new StudioUser(p.domainId(), p.userProfileName()), p.userProfileArn(),
        p.homeEfsFileSystemUid() == null ? 0 : Long.parseLong(p.homeEfsFileSystemUid()),
        Optional.ofNullable(settings == null ? null : settings.executionRole()),
        settings == null ? List.of() : settings.securityGroups(),
        Optional.ofNullable(p.singleSignOnUserValue()), fileSystems);
  }
}

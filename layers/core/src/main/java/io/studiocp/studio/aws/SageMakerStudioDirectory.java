package io.studiocp.studio.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.AwsJsonClient;
import io.studiocp.platform.AwsOperation;
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
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@link StudioDirectory} over the SageMaker API, as five signed JSON calls (DescribeDomain,
 * DescribeUserProfile, DescribeSpace, ListUserProfiles, ListTags) rather than through the SDK's SageMaker client,
 * whose model would cost the API and the Prepare step a large part of their cold starts
 * ({@link AwsJsonClient}). A missing domain or profile is empty; AWS being busy a
 * {@link io.studiocp.platform.TransientAwsException}; any other refusal the SDK's exception with
 * SageMaker's error code.
 */
public final class SageMakerStudioDirectory implements StudioDirectory {

  /** SageMaker's JSON protocol, as botocore's model describes it. */
  public static final AwsJsonClient.Service SAGEMAKER = new AwsJsonClient.Service("SAGEMAKER", "sagemaker",
      "api.sagemaker", "SageMaker", "1.1");

  /** The operations it calls (their names are SageMaker's). */
  enum Call implements AwsOperation {
    DescribeDomain, DescribeSpace, DescribeUserProfile, ListTags, ListUserProfiles;

    static final String IAM_PREFIX = "sagemaker";
  }

  private static final int CONCURRENCY = 8;
  private static final StudioUser PRIMING_USER = new StudioUser("d-priming", "priming");
  private static final String NOT_FOUND = "ResourceNotFound";

  private final AwsJsonClient sagemaker;

  public SageMakerStudioDirectory(AwsJsonClient sagemaker) {
    this.sagemaker = sagemaker;
  }

  /** The directory over the function's SageMaker endpoint, region and credentials. */
  public static SageMakerStudioDirectory of(AwsClients aws) {
    return new SageMakerStudioDirectory(aws.json(SAGEMAKER));
  }

  /**
   * The SnapStart priming of this directory's describes (a domain, a user profile): each as a
   * priming call (signed, answered locally, never sent), read as a real answer is read. Separate
   * from {@link #identityPrimer()} so that a function which only describes is not seen to list
   * (LeastPrivilegeTest reads the calls from the bytecode).
   */
  public Runnable primer() {
    SageMakerStudioDirectory priming = new SageMakerStudioDirectory(sagemaker.priming());
    return () -> {
      priming.domain(PRIMING_USER.domainId());
      priming.userProfile(PRIMING_USER);
    };
  }

  /** The priming of a domain's describe alone: for a function that reads domains only (the pool's keeper). */
  public Runnable domainPrimer() {
    SageMakerStudioDirectory priming = new SageMakerStudioDirectory(sagemaker.priming());
    return () -> priming.domain(PRIMING_USER.domainId());
  }

  /** As {@link #primer()}, and the lists that identity reads too: a profile's tags, a domain's profiles. */
  public Runnable identityPrimer() {
    SageMakerStudioDirectory priming = new SageMakerStudioDirectory(sagemaker.priming());
    return () -> {
      priming.domain(PRIMING_USER.domainId());
      priming.userProfile(PRIMING_USER).ifPresent(priming::tags);
      priming.userProfiles(PRIMING_USER.domainId());
    };
  }

  @Override
  public Optional<StudioDomain> domain(String domainId) {
    return call(Call.DescribeDomain, "DescribeDomain " + domainId, in -> in.put("DomainId", domainId))
        .map(d -> {
          JsonNode defaults = d.path("DefaultUserSettings");
          return new StudioDomain(text(d, "DomainId").orElse(domainId), text(d, "VpcId").orElse(null),
              strings(d.path("SubnetIds")), text(d, "HomeEfsFileSystemId").orElse(null),
              strings(defaults.path("SecurityGroups")), text(defaults, "ExecutionRole").orElse(null),
              "SSO".equals(d.path("AuthMode").asText()));
        });
  }

  @Override
  public Optional<String> spaceOwner(String domainId, String spaceName) {
    return call(Call.DescribeSpace, "DescribeSpace " + domainId + "/" + spaceName,
        in -> in.put("DomainId", domainId).put("SpaceName", spaceName))
        .flatMap(space -> text(space.path("OwnershipSettings"), "OwnerUserProfileName"));
  }

  @Override
  public Optional<UserProfile> userProfile(StudioUser user) {
    return call(Call.DescribeUserProfile, "DescribeUserProfile " + user,
        in -> in.put("DomainId", user.domainId()).put("UserProfileName", user.userProfileName()))
        .map(p -> toProfile(user, p));
  }

  @Override
  public Map<String, String> tags(UserProfile profile) {
    Map<String, String> tags = new LinkedHashMap<>();
    String next = null;
    do {
      String token = next;
      Optional<JsonNode> page = call(Call.ListTags, "ListTags " + profile.arn(), in -> {
        in.put("ResourceArn", profile.arn());
        if (token != null) {
          in.put("NextToken", token);
        }
      });
      if (page.isEmpty()) {
        return Map.of();
      }
      page.get().path("Tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
      next = text(page.get(), "NextToken").orElse(null);
    } while (next != null);
    return tags;
  }

  @Override
  public List<UserProfile> userProfiles(String domainId) {
    List<StudioUser> users = new ArrayList<>();
    String next = null;
    do {
      String token = next;
      JsonNode page = call(Call.ListUserProfiles, "ListUserProfiles " + domainId, in -> {
        in.put("DomainIdEquals", domainId).put("MaxResults", 100);
        if (token != null) {
          in.put("NextToken", token);
        }
      }).orElseThrow();
      page.path("UserProfiles").forEach(p ->
          users.add(new StudioUser(p.path("DomainId").asText(domainId), p.path("UserProfileName").asText())));
      next = text(page, "NextToken").orElse(null);
    } while (next != null);
    // The list carries no execution role: describe each, a few at a time.
    Semaphore permits = new Semaphore(CONCURRENCY);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Optional<UserProfile>>> futures = new ArrayList<>();
      for (StudioUser user : users) {
        futures.add(pool.submit(() -> {
          permits.acquire();
          try {
            return userProfile(user);
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

  /** One call: its answer, or empty when SageMaker says the resource does not exist. */
  private Optional<JsonNode> call(Call operation, String doing, Consumer<ObjectNode> input) {
    ObjectNode in = sagemaker.input();
    input.accept(in);
    try {
      return Optional.of(sagemaker.call(operation, in));
    } catch (AwsServiceException e) {
      if (e.awsErrorDetails() != null && NOT_FOUND.equals(e.awsErrorDetails().errorCode())) {
        return Optional.empty();
      }
      throw AwsFailures.classify(doing, e);
    } catch (SdkException e) {
      throw AwsFailures.classify(doing, e);
    }
  }

  private static UserProfile toProfile(StudioUser asked, JsonNode p) {
    JsonNode settings = p.path("UserSettings");
    List<UserProfile.CustomFileSystem> fileSystems = new ArrayList<>();
    settings.path("CustomFileSystemConfigs").forEach(c -> {
      JsonNode efs = c.path("EFSFileSystemConfig");
      if (efs.isObject()) {
        fileSystems.add(new UserProfile.CustomFileSystem(efs.path("FileSystemId").asText(),
            text(efs, "FileSystemPath").orElse("/")));
      }
    });
    StudioUser user = new StudioUser(text(p, "DomainId").orElse(asked.domainId()),
        text(p, "UserProfileName").orElse(asked.userProfileName()));
    return new UserProfile(user, text(p, "UserProfileArn").orElse(null),
        text(p, "HomeEfsFileSystemUid").map(Long::parseLong).orElse(0L),
        text(settings, "ExecutionRole"), strings(settings.path("SecurityGroups")),
        text(p, "SingleSignOnUserValue"), fileSystems);
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isValueNode() && !value.isNull() && !value.asText().isEmpty()
        ? Optional.of(value.asText()) : Optional.empty();
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}

package io.studiocp.studio.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.emulators.sagemaker.StudioStandIn;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.Env;
import io.studiocp.platform.TransientAwsException;
import io.studiocp.studio.StudioDomain;
import io.studiocp.studio.StudioUser;
import io.studiocp.studio.UserProfile;
import io.studiocp.testkit.RecordingProxy;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeUserProfileResponse;

/**
 * The directory's signed JSON calls against the Studio stand-in over HTTP (which holds every request
 * and answer to botocore's model of SageMaker): what it reads agrees with what the SDK's SageMaker
 * client reads of the same profiles; missing things are empty, throttling is transient after the
 * SDK's retries, other refusals keep SageMaker's code; lists are read page by page; priming sends
 * nothing.
 */
class SageMakerStudioDirectoryTest {

  private static final String REGION = "us-east-1";
  private static final String DOMAIN = "d-directory01";
  private static final String SSO_DOMAIN = "d-directory02";
  private static final String ROLE = "arn:aws:iam::123456789012:role/";

  private StudioWorld world;
  private StudioStandIn studio;
  private RecordingProxy proxy;
  private AwsClients aws;
  private SageMakerStudioDirectory directory;

  @BeforeEach
  void start() {
    Instant now = Instant.now();
    world = new StudioWorld(REGION, "123456789012");
    world.addDomain(new StudioWorld.Domain(DOMAIN, "iam", "vpc-0123456789abcdef0",
        List.of("subnet-0a", "subnet-0b"), "fs-0123456789abcdef0", List.of("sg-0studio"), ROLE + "studio-default", now));
    world.addDomain(new StudioWorld.Domain(SSO_DOMAIN, "sso", "vpc-0123456789abcdef0", List.of("subnet-0a"),
        "fs-0fedcba9876543210", List.of(), null, now));
    world.addUserProfile(new StudioWorld.UserProfile(DOMAIN, "alice", 200001, ROLE + "studio-alice",
        List.of("sg-0alice"), null, List.of(new StudioWorld.CustomFileSystem("fs-0custom", "/shared")), now),
        Map.of("studiocp:principals", "arn:aws:iam::123456789012:user/alice"));
    world.addUserProfile(new StudioWorld.UserProfile(DOMAIN, "bob", 200002, null, List.of(), null, List.of(), now),
        Map.of());
    world.addUserProfile(new StudioWorld.UserProfile(SSO_DOMAIN, "carol", 200003, null, List.of(), "carol@example.com",
        List.of(), now), Map.of());
    studio = StudioStandIn.start(world, 0);
    proxy = RecordingProxy.to(studio.endpoint());
    aws = new AwsClients(Env.of(Map.of("AWS_REGION", REGION, "AWS_ACCESS_KEY_ID", "testing",
        "AWS_SECRET_ACCESS_KEY", "testing", "AWS_ENDPOINT_URL_SAGEMAKER", proxy.endpoint())));
    directory = SageMakerStudioDirectory.of(aws);
  }

  @AfterEach
  void stop() {
    proxy.close();
    studio.close();
  }

  @Test
  void readsADomainAsSageMakerDescribesIt() {
    StudioDomain domain = directory.domain(DOMAIN).orElseThrow();

    assertEquals(new StudioDomain(DOMAIN, "vpc-0123456789abcdef0", List.of("subnet-0a", "subnet-0b"),
        "fs-0123456789abcdef0", List.of("sg-0studio"), ROLE + "studio-default", false), domain);
    assertTrue(directory.domain(SSO_DOMAIN).orElseThrow().singleSignOn(), "a domain of SSO users is SSO");
    assertEquals(Optional.empty(), directory.domain("d-nosuchdomain"));
  }

  @Test
  void readsProfilesAsTheSdksClientReadsThem() {
    try (SageMakerClient sdk = aws.build(SageMakerClient.builder(), "SAGEMAKER")) {
      for (StudioUser user : List.of(new StudioUser(DOMAIN, "alice"), new StudioUser(DOMAIN, "bob"),
          new StudioUser(SSO_DOMAIN, "carol"))) {
        UserProfile profile = directory.userProfile(user).orElseThrow();
        DescribeUserProfileResponse expected = sdk.describeUserProfile(r -> r.domainId(user.domainId())
            .userProfileName(user.userProfileName()));

        assertEquals(user, profile.user());
        assertEquals(expected.userProfileArn(), profile.arn());
        assertEquals(Long.parseLong(expected.homeEfsFileSystemUid()), profile.homeEfsUid());
        assertEquals(Optional.ofNullable(expected.userSettings().executionRole()), profile.executionRole());
        assertEquals(expected.userSettings().securityGroups(), profile.securityGroupIds());
        assertEquals(Optional.ofNullable(expected.singleSignOnUserValue()), profile.ssoUserValue());
      }
    }
    UserProfile alice = directory.userProfile(new StudioUser(DOMAIN, "alice")).orElseThrow();
    assertEquals(Optional.of(ROLE + "studio-alice"), alice.executionRole());
    assertEquals(List.of(new UserProfile.CustomFileSystem("fs-0custom", "/shared")), alice.customFileSystems());
    assertEquals(Optional.of("carol@example.com"),
        directory.userProfile(new StudioUser(SSO_DOMAIN, "carol")).orElseThrow().ssoUserValue());
    assertEquals(Optional.empty(), directory.userProfile(new StudioUser(DOMAIN, "nobody")));
  }

  @Test
  void readsEveryTagPageByPage() {
    UserProfile alice = directory.userProfile(new StudioUser(DOMAIN, "alice")).orElseThrow();
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i < 70; i++) {
      many.put("team:%02d".formatted(i), "v" + i);
    }
    world.tag(alice.arn(), many);
    studio.resetCalls();

    Map<String, String> tags = directory.tags(alice);

    assertEquals(71, tags.size(), tags.toString());
    assertEquals("arn:aws:iam::123456789012:user/alice", tags.get("studiocp:principals"));
    assertEquals("v69", tags.get("team:69"));
    assertEquals(Map.of("ListTags", 2L), studio.calls(), "70 tags and one more are two pages of 50");
  }

  @Test
  void listsEveryProfileOfADomainPageByPage() {
    for (int i = 0; i < 120; i++) {
      world.addUserProfile(new StudioWorld.UserProfile(DOMAIN, "user-" + i, 300000 + i, ROLE + "user-" + i,
          List.of(), null, List.of(), Instant.now()), Map.of());
    }
    studio.resetCalls();

    List<UserProfile> profiles = directory.userProfiles(DOMAIN);

    assertEquals(122, profiles.size());
    assertTrue(profiles.stream().anyMatch(p -> p.executionRole().equals(Optional.of(ROLE + "user-119"))));
    assertTrue(profiles.stream().allMatch(p -> p.user().domainId().equals(DOMAIN)));
    assertEquals(2L, studio.calls().get("ListUserProfiles"), "122 profiles are two pages of 100");
    assertEquals(122L, studio.calls().get("DescribeUserProfile"), "each profile described for its role");
  }

  @Test
  void throttlingIsTransientOnceTheRetriesAreSpent() {
    studio.throttle(1.0);

    TransientAwsException e = assertThrows(TransientAwsException.class, () -> directory.domain(DOMAIN));

    assertTrue(e.getMessage().contains("DescribeDomain " + DOMAIN) && e.getMessage().contains("ThrottlingException"),
        e.getMessage());
    assertEquals(Map.of("DescribeDomain", 4L), studio.calls(), "the SDK's standard strategy: four tries");
  }

  @Test
  void aThrottledCallThatPassesOnARetryAnswers() {
    SageMakerStudioDirectory directory = new SageMakerStudioDirectory(aws.json(SageMakerStudioDirectory.SAGEMAKER, 10));
    studio.throttle(0.5);

    for (int i = 0; i < 5; i++) {
      assertEquals("alice", directory.userProfile(new StudioUser(DOMAIN, "alice")).orElseThrow().user()
          .userProfileName());
    }
    assertTrue(studio.calls().get("DescribeUserProfile") > 5, "some calls were throttled and tried again: "
        + studio.calls());
  }

  @Test
  void anotherRefusalKeepsSageMakersCodeAndIsNotRetried() {
    AwsServiceException e = assertThrows(AwsServiceException.class, () -> directory.domain("not-a-domain-id"));

    assertFalse(AwsFailures.isTransient(e), "a refusal that will not pass");
    assertEquals("ValidationException", e.awsErrorDetails().errorCode());
    assertEquals(400, e.statusCode());
    assertEquals(1, proxy.requests().size(), "sent once");
  }

  @Test
  void signsEachCallForSageMakerInItsRegion() {
    directory.domain(DOMAIN);

    RecordingProxy.Request request = proxy.requests().getFirst();
    assertEquals("POST", request.method());
    assertEquals(List.of("SageMaker.DescribeDomain"), request.headers().get("x-amz-target"));
    String authorization = request.headers().get("authorization").getFirst();
    assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=testing/")
        && authorization.contains("/" + REGION + "/sagemaker/aws4_request"), authorization);
    assertTrue(request.headers().containsKey("x-amz-date"));
  }

  @Test
  void theDefaultEndpointIsTheRegionsSageMakerApi() {
    AwsClients real = new AwsClients(Env.of(Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "k",
        "AWS_SECRET_ACCESS_KEY", "s")));
    assertEquals("https://api.sagemaker.eu-west-1.amazonaws.com",
        real.json(SageMakerStudioDirectory.SAGEMAKER).endpoint().toString());
    AwsClients china = new AwsClients(Env.of(Map.of("AWS_REGION", "cn-north-1", "AWS_ACCESS_KEY_ID", "k",
        "AWS_SECRET_ACCESS_KEY", "s")));
    assertEquals("https://api.sagemaker.cn-north-1.amazonaws.com.cn",
        china.json(SageMakerStudioDirectory.SAGEMAKER).endpoint().toString());
  }

  @Test
  void primingRunsEveryCallWithoutSendingOne() {
    directory.primer().run();
    directory.identityPrimer().run();

    assertEquals(List.of(), proxy.requests(), "priming calls are answered locally");
    assertEquals(Map.of(), studio.calls());
    assertTrue(directory.domain(DOMAIN).isPresent(), "the directory works after priming");
    assertEquals(1, proxy.requests().size());
  }
}

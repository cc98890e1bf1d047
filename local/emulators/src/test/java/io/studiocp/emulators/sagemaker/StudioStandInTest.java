package io.studiocp.emulators.sagemaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AppDetails;
import software.amazon.awssdk.services.sagemaker.model.DescribeUserProfileResponse;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.Tag;

class StudioStandInTest {

  private static final String SEED = """
      {"region": "us-east-1", "accountId": "123456789012",
       "domains": [{"domainId": "d-test", "vpcId": "vpc-1", "subnetIds": ["subnet-a"],
         "homeEfsFileSystemId": "fs-12345678", "securityGroups": ["sg-studio"],
         "executionRole": "arn:aws:iam::123456789012:role/default",
         "userProfiles": [
           {"name": "alice", "uid": 200001, "executionRole": "arn:aws:iam::123456789012:role/alice",
            "tags": {"studiocp:email": "alice@example.com"},
            "apps": [{"appName": "a1", "instanceType": "ml.t3.medium", "ageHours": 2}]},
           {"name": "bob", "uid": 200002, "ssoUserValue": "bob@example.com"}],
         "spaces": [{"name": "shared-space", "sharingType": "Shared", "owner": "alice",
           "apps": [{"appType": "JupyterLab", "appName": "default", "instanceType": "ml.g5.xlarge"}]}]}]}
      """;

  private StudioStandIn standIn;
  private SageMakerClient sagemaker;

  @BeforeEach
  void start() throws Exception {
    StudioWorld world = StudioWorld.fromSeed(new ObjectMapper().readTree(SEED), Instant.now());
    for (int i = 0; i < 25; i++) {
      world.addApp(new StudioWorld.App("d-test", "bob", null, "KernelGateway", "bulk-" + i,
          "ml.m5.large", Instant.now().minusSeconds(i), "InService"));
    }
    standIn = StudioStandIn.start(world, 0);
    sagemaker = SageMakerClient.builder()
        .endpointOverride(URI.create(standIn.endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
        .build();
  }

  @AfterEach
  void stop() {
    sagemaker.close();
    standIn.close();
  }

  @Test
  void describesAUserProfileWithTheRealShapes() {
    DescribeUserProfileResponse alice = sagemaker.describeUserProfile(r -> r.domainId("d-test").userProfileName("alice"));
    assertEquals("200001", alice.homeEfsFileSystemUid());
    assertEquals("arn:aws:iam::123456789012:role/alice", alice.userSettings().executionRole());
    assertEquals("bob@example.com", sagemaker.describeUserProfile(
        r -> r.domainId("d-test").userProfileName("bob")).singleSignOnUserValue());
    assertEquals("fs-12345678", sagemaker.describeDomain(r -> r.domainId("d-test")).homeEfsFileSystemId());
  }

  @Test
  void itsSocketsSendAnswersWithoutWaitingForTheClientsAck() {
    // Nagle's algorithm off for the JDK's HTTP servers (set before the first one starts): else each
    // answer waits ~40 ms for a delayed ACK, which a benchmark would count as the code's time.
    assertEquals("true", System.getProperty(io.studiocp.emulators.http.NoDelay.PROPERTY));
  }

  @Test
  void anUnknownProfileIsResourceNotFound() {
    assertThrows(ResourceNotFoundException.class,
        () -> sagemaker.describeUserProfile(r -> r.domainId("d-test").userProfileName("nobody")));
  }

  @Test
  void paginatesAppsAndCarriesTheirInstanceType() {
    List<AppDetails> apps = sagemaker.listAppsPaginator(r -> r.domainIdEquals("d-test").maxResults(10))
        .apps().stream().toList();
    assertEquals(27, apps.size());
    assertEquals(3, standIn.calls().get("ListApps"));
    AppDetails spaceApp = apps.stream().filter(a -> "shared-space".equals(a.spaceName())).findFirst().orElseThrow();
    assertEquals("ml.g5.xlarge", spaceApp.resourceSpec().instanceTypeAsString());
  }

  @Test
  void tagsAppsAndProfiles() {
    String arn = "arn:aws:sagemaker:us-east-1:123456789012:user-profile/d-test/alice";
    assertEquals(List.of(Tag.builder().key("studiocp:email").value("alice@example.com").build()),
        sagemaker.listTags(r -> r.resourceArn(arn)).tags());
    sagemaker.addTags(r -> r.resourceArn(arn).tags(Tag.builder().key("k").value("v").build()));
    assertEquals(2, sagemaker.listTags(r -> r.resourceArn(arn)).tags().size());
    assertThrows(ResourceNotFoundException.class, () -> sagemaker.listTags(
        r -> r.resourceArn("arn:aws:sagemaker:us-east-1:123456789012:app/d-test/x/kernelgateway/none")));
  }

  @Test
  void deletedAppsStayListedAsDeleted() {
    sagemaker.deleteApp(r -> r.domainId("d-test").userProfileName("alice").appType("KernelGateway").appName("a1"));
    AppDetails a1 = sagemaker.listApps(r -> r.domainIdEquals("d-test").userProfileNameEquals("alice")).apps().getFirst();
    assertEquals("Deleted", a1.statusAsString());
  }

  @Test
  void throttlesAShareOfCallsAndTheSdkRetriesThrough() {
    standIn.throttle(0.3);
    for (int i = 0; i < 20; i++) {
      assertEquals("d-test", sagemaker.describeDomain(r -> r.domainId("d-test")).domainId());
    }
    assertTrue(standIn.calls().get("DescribeDomain") > 20, "some calls were throttled and retried");
  }

  @Test
  void alwaysThrottledCallsSurfaceAsThrottlingException() {
    standIn.throttle(1.0);
    SageMakerException e = assertThrows(SageMakerException.class,
        () -> sagemaker.describeDomain(r -> r.domainId("d-test")));
    assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
  }
}

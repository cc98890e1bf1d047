package io.studiocp.emulators.sagemaker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.studiocp.emulators.model.Botocore;
import io.studiocp.emulators.testing.Conformance;
import io.studiocp.emulators.testing.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * A Studio stand-in on a clock the test moves, with apps Pending for 30 s, Deleting for 60 s and
 * listed as Deleted for an hour; the real SDK client talks to it over HTTP. On close, every call
 * the test made is held to botocore's model (see {@link Conformance}).
 */
final class StudioFixture implements AutoCloseable {

  static final String DOMAIN = "d-test";
  static final String ARN_PREFIX = "arn:aws:sagemaker:us-east-1:123456789012:";
  static final Duration PENDING = Duration.ofSeconds(30);
  static final Duration DELETING = Duration.ofSeconds(60);
  static final Duration LISTED = Duration.ofHours(1);

  private static final String SEED = """
      {"region": "us-east-1", "accountId": "123456789012",
       "domains": [{"domainId": "d-test", "vpcId": "vpc-1", "subnetIds": ["subnet-a"],
         "homeEfsFileSystemId": "fs-12345678", "securityGroups": ["sg-studio"],
         "executionRole": "arn:aws:iam::123456789012:role/default",
         "userProfiles": [
           {"name": "alice", "uid": 200001, "executionRole": "arn:aws:iam::123456789012:role/alice",
            "apps": [{"appType": "JupyterServer", "appName": "default", "instanceType": "system", "ageHours": 5},
                     {"appName": "a1", "instanceType": "ml.t3.medium", "ageHours": 2}]},
           {"name": "bob", "uid": 200002},
           {"name": "carol", "uid": 200003}],
         "spaces": [{"name": "shared-space", "sharingType": "Shared", "owner": "alice", "appType": "JupyterLab",
           "apps": [{"appType": "JupyterLab", "appName": "default", "instanceType": "ml.g5.xlarge", "ageHours": 1}]},
                    {"name": "alice-private", "sharingType": "Private", "owner": "alice", "appType": "CodeEditor"}]}]}
      """;

  final ManualClock clock = new ManualClock(Instant.parse("2025-06-01T12:00:00Z"));
  final StudioWorld world;
  final StudioStandIn standIn;
  final SageMakerClient sagemaker;
  final ResourceGroupsTaggingApiClient tagging;
  final Conformance conformance = new Conformance(Botocore.model("sagemaker"));
  final Conformance taggingConformance = new Conformance(Botocore.model("resourcegroupstaggingapi"));

  StudioFixture() {
    try {
      world = StudioWorld.fromSeed(new ObjectMapper().readTree(SEED), clock)
          .lifecycle(new StudioWorld.Lifecycle(PENDING, DELETING, LISTED));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    standIn = StudioStandIn.start(world, 0);
    standIn.listen(conformance);
    standIn.listenTagging(taggingConformance);
    sagemaker = SageMakerClient.builder()
        .endpointOverride(URI.create(standIn.endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
        .build();
    tagging = ResourceGroupsTaggingApiClient.builder()
        .endpointOverride(URI.create(standIn.taggingEndpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  void advance(Duration by) {
    clock.advance(by);
  }

  @Override
  public void close() {
    try {
      if (!conformance.exchanges().isEmpty()) {
        conformance.assertConforms(List.of());
      }
      if (!taggingConformance.exchanges().isEmpty()) {
        taggingConformance.assertConforms(List.of());
      }
    } finally {
      sagemaker.close();
      tagging.close();
      standIn.close();
    }
  }
}

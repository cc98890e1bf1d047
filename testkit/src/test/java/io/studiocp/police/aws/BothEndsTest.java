package io.studiocp.police.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.emulators.sagemaker.StudioStandIn;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.police.PolicedResource;
import java.net.URI;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** The admin report's sweep of a large domain from both ends at once, against the Studio stand-in. */
class BothEndsTest {

  private static final String DOMAIN = "d-both";
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  private StudioStandIn standIn;
  private SageMakerClient sagemaker;
  private ResourceGroupsTaggingApiClient tagging;
  private final List<String> orders = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  private SageMakerStudioInventory inventory(int apps, int sameSecond) {
    StudioWorld world = new StudioWorld("us-east-1", "123456789012");
    world.addDomain(new StudioWorld.Domain(DOMAIN, "both", "vpc-1", List.of("subnet-1"), "fs-12345678",
        List.of("sg-1"), "arn:aws:iam::123456789012:role/default", NOW));
    for (int i = 0; i < apps; i++) {
      // Several apps created in the same second: ties wherever the two sweeps meet.
      world.addApp(new StudioWorld.App(DOMAIN, "user-" + (i % 10), null, "KernelGateway", "kg-" + i, "ml.m5.large",
          NOW.minusSeconds(100_000 - (i / sameSecond)), "InService"));
    }
    standIn = StudioStandIn.start(world, 0);
    standIn.listen(call -> {
      if (call.operation().equals("ListApps")) {
        orders.add(call.request().path("SortOrder").asText("Ascending"));
      }
    });
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s"));
    sagemaker = SageMakerClient.builder().endpointOverride(URI.create(standIn.endpoint())).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    tagging = ResourceGroupsTaggingApiClient.builder().endpointOverride(URI.create(standIn.taggingEndpoint()))
        .region(Region.US_EAST_1).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    return new SageMakerStudioInventory(sagemaker, tagging);
  }

  @AfterEach
  void stop() {
    sagemaker.close();
    tagging.close();
    standIn.close();
  }

  @Test
  void aLargeDomainIsReadFromBothEndsEveryAppOnceInAboutAsManyCalls() {
    SageMakerStudioInventory studio = inventory(1_050, 7);

    List<PolicedResource> apps = studio.snapshot(List.of(DOMAIN)).apps();

    assertEquals(1_050, apps.size());
    assertEquals(1_050, new HashSet<>(apps.stream().map(PolicedResource::id).toList()).size(), "each app once");
    List<Instant> started = apps.stream().map(PolicedResource::startedAt).toList();
    assertEquals(started.stream().sorted().toList(), started, "oldest first, as one sweep read them");
    long pages = standIn.calls().get("ListApps");
    assertTrue(pages >= 11 && pages <= 13, "1,050 apps are 11 pages; both ends take one or two more: " + pages);
    // Both ends were read (the newest-first sweep starts once the first page shows there is more); how
    // the pages split between them is the threads' scheduling (about half each on an idle machine).
    long newestFirst = orders.stream().filter("Descending"::equals).count();
    assertTrue(newestFirst >= 1 && pages - newestFirst >= 2, "pages from both ends: " + orders);
    assertEquals("Ascending", orders.getFirst(), "the first page oldest first, alone");
  }

  @Test
  void aDomainOfOnePageIsOneCall() {
    SageMakerStudioInventory studio = inventory(60, 1);

    assertEquals(60, studio.snapshot(List.of(DOMAIN)).apps().size());
    assertEquals(List.of("Ascending"), orders, "one page, oldest first: no second sweep");
  }
}

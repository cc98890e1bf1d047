package io.studiocp.emulators.sagemaker;

import static io.studiocp.emulators.sagemaker.StudioFixture.ARN_PREFIX;
import static io.studiocp.emulators.sagemaker.StudioFixture.DELETING;
import static io.studiocp.emulators.sagemaker.StudioFixture.DOMAIN;
import static io.studiocp.emulators.sagemaker.StudioFixture.LISTED;
import static io.studiocp.emulators.sagemaker.StudioFixture.PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.AppDetails;
import software.amazon.awssdk.services.sagemaker.model.AppInstanceType;
import software.amazon.awssdk.services.sagemaker.model.AppType;
import software.amazon.awssdk.services.sagemaker.model.CreateAppRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeAppResponse;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.ResourceLimitExceededException;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.SortOrder;

class StudioAppsTest {

  private StudioFixture studio;

  @BeforeEach
  void start() {
    studio = new StudioFixture();
  }

  @AfterEach
  void stop() {
    studio.close();
  }

  private String kernel(String profile, String name) {
    return studio.sagemaker.createApp(r -> r.domainId(DOMAIN).userProfileName(profile).appType(AppType.KERNEL_GATEWAY)
        .appName(name).resourceSpec(s -> s.instanceType(AppInstanceType.ML_M5_LARGE))).appArn();
  }

  private DescribeAppResponse describe(String profile, String name) {
    return studio.sagemaker.describeApp(r -> r.domainId(DOMAIN).userProfileName(profile)
        .appType(AppType.KERNEL_GATEWAY).appName(name));
  }

  private void delete(String profile, String name) {
    studio.sagemaker.deleteApp(r -> r.domainId(DOMAIN).userProfileName(profile).appType(AppType.KERNEL_GATEWAY)
        .appName(name));
  }

  @Test
  void anAppIsPendingThenInServiceThenDeletingThenDeletedThenNoLongerListed() {
    assertEquals(ARN_PREFIX + "app/d-test/bob/kernelgateway/k1", kernel("bob", "k1"));
    DescribeAppResponse pending = describe("bob", "k1");
    assertEquals("Pending", pending.statusAsString());
    assertEquals(AppInstanceType.ML_M5_LARGE, pending.resourceSpec().instanceType());
    assertEquals(ARN_PREFIX + "app/d-test/bob/kernelgateway/k1", pending.appArn());

    studio.advance(PENDING);
    assertEquals("InService", describe("bob", "k1").statusAsString());
    delete("bob", "k1");
    assertEquals("Deleting", describe("bob", "k1").statusAsString());
    studio.advance(DELETING);
    assertEquals("Deleted", describe("bob", "k1").statusAsString());
    assertEquals("Deleted", studio.sagemaker.listApps(r -> r.domainIdEquals(DOMAIN).userProfileNameEquals("bob"))
        .apps().getFirst().statusAsString(), "deleted apps stay listed for a while");

    studio.advance(LISTED);
    assertEquals(List.of(), studio.sagemaker.listApps(r -> r.domainIdEquals(DOMAIN).userProfileNameEquals("bob"))
        .apps());
    assertThrows(ResourceNotFoundException.class, () -> describe("bob", "k1"));
  }

  @Test
  void aDeletingAppIsInUseADeletedOneIsNotFoundAndNoLongerHoldsItsName() {
    kernel("bob", "k1");
    delete("bob", "k1");
    assertThrows(ResourceInUseException.class, () -> delete("bob", "k1"));
    assertThrows(ResourceInUseException.class, () -> kernel("bob", "k1"), "the name is taken while Deleting");

    studio.advance(DELETING);
    assertThrows(ResourceNotFoundException.class, () -> delete("bob", "k1"));
    studio.advance(Duration.ofSeconds(1));
    kernel("bob", "k1");
    assertEquals("Pending", describe("bob", "k1").statusAsString(), "the newest app of that name");
    assertEquals(List.of("Deleted", "Pending"), studio.sagemaker.listApps(r -> r.domainIdEquals(DOMAIN)
        .userProfileNameEquals("bob")).apps().stream().map(AppDetails::statusAsString).toList());
  }

  @Test
  void createAppRefusesWhatSageMakerRefusesAndCreatesNothing() {
    int before = studio.world.apps().size();
    record Refusal(String error, Consumer<CreateAppRequest.Builder> request) {}
    List<Refusal> refusals = List.of(
        new Refusal("ValidationException", r -> r.domainId(DOMAIN).appType(AppType.KERNEL_GATEWAY).appName("x")
            .resourceSpec(s -> s.instanceType(AppInstanceType.ML_M5_LARGE))),
        new Refusal("ValidationException", r -> r.domainId(DOMAIN).userProfileName("bob").spaceName("shared-space")
            .appType(AppType.JUPYTER_LAB).appName("default")),
        new Refusal("ValidationException", r -> r.domainId(DOMAIN).userProfileName("bob")
            .appType(AppType.KERNEL_GATEWAY).appName("no-instance-type")),
        new Refusal("ValidationException", r -> r.domainId(DOMAIN).userProfileName("bob")
            .appType(AppType.JUPYTER_SERVER).appName("default").resourceSpec(s -> s.instanceType(AppInstanceType.ML_M5_LARGE))),
        new Refusal("ValidationException", r -> r.domainId(DOMAIN).spaceName("alice-private")
            .appType(AppType.JUPYTER_LAB).appName("default")),
        new Refusal("ValidationException", r -> r.domainId(DOMAIN).userProfileName("bob")
            .appType(AppType.KERNEL_GATEWAY).appName("bad_name").resourceSpec(s -> s.instanceType(AppInstanceType.ML_M5_LARGE))),
        new Refusal("ResourceNotFound", r -> r.domainId(DOMAIN).userProfileName("nobody")
            .appType(AppType.KERNEL_GATEWAY).appName("x").resourceSpec(s -> s.instanceType(AppInstanceType.ML_M5_LARGE))),
        new Refusal("ResourceNotFound", r -> r.domainId(DOMAIN).spaceName("no-space")
            .appType(AppType.JUPYTER_LAB).appName("default")),
        new Refusal("ResourceNotFound", r -> r.domainId("d-nowhere").userProfileName("bob")
            .appType(AppType.KERNEL_GATEWAY).appName("x").resourceSpec(s -> s.instanceType(AppInstanceType.ML_M5_LARGE))),
        new Refusal("ResourceInUse", r -> r.domainId(DOMAIN).userProfileName("alice")
            .appType(AppType.KERNEL_GATEWAY).appName("a1").resourceSpec(s -> s.instanceType(AppInstanceType.ML_M5_LARGE))),
        new Refusal("ResourceInUse", r -> r.domainId(DOMAIN).spaceName("shared-space")
            .appType(AppType.JUPYTER_LAB).appName("default")));
    for (Refusal refusal : refusals) {
      SageMakerException e = assertThrows(SageMakerException.class, () -> studio.sagemaker.createApp(refusal.request()));
      assertEquals(refusal.error(), e.awsErrorDetails().errorCode(), e.getMessage());
    }
    assertEquals(before, studio.world.apps().size());
  }

  @Test
  void anOwnerRunsAtMostItsLimitOfApps() {
    studio.world.limits(new StudioWorld.Limits(Integer.MAX_VALUE, 2));
    kernel("bob", "k1");
    kernel("bob", "k2");
    assertThrows(ResourceLimitExceededException.class, () -> kernel("bob", "k3"));
    delete("bob", "k1");
    studio.advance(DELETING);
    kernel("bob", "k3");
    assertEquals("Pending", describe("bob", "k3").statusAsString(), "a Deleted app no longer counts");
  }

  @Test
  void aSpaceRunsItsAppAndDeletesIt() {
    studio.sagemaker.createApp(r -> r.domainId(DOMAIN).spaceName("alice-private").appType(AppType.CODE_EDITOR)
        .appName("default").resourceSpec(s -> s.instanceType(AppInstanceType.ML_T3_MEDIUM)));
    AppDetails app = studio.sagemaker.listApps(r -> r.domainIdEquals(DOMAIN).spaceNameEquals("alice-private"))
        .apps().getFirst();
    assertEquals("alice-private", app.spaceName());
    assertEquals(null, app.userProfileName());
    studio.sagemaker.deleteApp(r -> r.domainId(DOMAIN).spaceName("alice-private").appType(AppType.CODE_EDITOR)
        .appName("default"));
    assertEquals("Deleting", studio.sagemaker.describeApp(r -> r.domainId(DOMAIN).spaceName("alice-private")
        .appType(AppType.CODE_EDITOR).appName("default")).statusAsString());
  }

  @Test
  void listAppsFiltersSortsAndPages() {
    for (int i = 0; i < 12; i++) {
      studio.advance(Duration.ofSeconds(1));
      kernel("carol", "k" + i);
    }
    List<AppDetails> carol = studio.sagemaker.listAppsPaginator(r -> r.domainIdEquals(DOMAIN)
        .userProfileNameEquals("carol").maxResults(5)).apps().stream().toList();
    assertEquals(12, carol.size());
    assertEquals("k0", carol.getFirst().appName(), "ascending by default, as the documentation says");
    assertEquals("k11", studio.sagemaker.listApps(r -> r.domainIdEquals(DOMAIN).userProfileNameEquals("carol")
        .sortOrder(SortOrder.DESCENDING)).apps().getFirst().appName());
    assertEquals(1, studio.sagemaker.listApps(r -> r.domainIdEquals(DOMAIN).spaceNameEquals("shared-space"))
        .apps().size());
    for (Consumer<software.amazon.awssdk.services.sagemaker.model.ListAppsRequest.Builder> bad : List.<Consumer<
        software.amazon.awssdk.services.sagemaker.model.ListAppsRequest.Builder>>of(
            r -> r.domainIdEquals(DOMAIN).userProfileNameEquals("carol").spaceNameEquals("shared-space"),
            r -> r.userProfileNameEquals("carol"),
            r -> r.maxResults(101))) {
      SageMakerException e = assertThrows(SageMakerException.class, () -> studio.sagemaker.listApps(bad));
      assertEquals("ValidationException", e.awsErrorDetails().errorCode());
    }
  }

  @Test
  void aDomainsAppsPageInOrderOfCreationAcrossOwnersAndFollowEveryChange() {
    // Apps of three owners, created in turns: the domain's pages interleave them by creation time.
    for (int i = 0; i < 4; i++) {
      for (String profile : List.of("carol", "bob", "alice")) {
        studio.advance(Duration.ofSeconds(1));
        kernel(profile, "t" + i);
      }
    }
    studio.advance(PENDING);
    List<AppDetails> all = studio.sagemaker.listAppsPaginator(r -> r.domainIdEquals(DOMAIN).maxResults(5)
        .sortBy(software.amazon.awssdk.services.sagemaker.model.AppSortKey.CREATION_TIME)).apps().stream().toList();
    List<java.time.Instant> created = all.stream().map(AppDetails::creationTime).toList();
    assertEquals(created.stream().sorted().toList(), created, "oldest first across pages");
    assertEquals(List.of("carol", "bob", "alice"), all.subList(all.size() - 12, all.size() - 9).stream()
        .map(AppDetails::userProfileName).toList(), "owners in the order their apps were created");
    List<AppDetails> newest = studio.sagemaker.listApps(r -> r.domainIdEquals(DOMAIN).maxResults(2)
        .sortOrder(SortOrder.DESCENDING)).apps();
    assertEquals(List.of("alice/t3", "bob/t3"), newest.stream().map(a -> a.userProfileName() + "/" + a.appName())
        .toList());

    // A listing after a change sees it: a new app at the end, a forgotten one gone with its ARN.
    studio.advance(Duration.ofSeconds(1));
    String arn = kernel("bob", "late");
    assertEquals("late", studio.sagemaker.listApps(r -> r.domainIdEquals(DOMAIN).maxResults(1)
        .sortOrder(SortOrder.DESCENDING)).apps().getFirst().appName());
    studio.sagemaker.addTags(r -> r.resourceArn(arn).tags(t -> t.key("k").value("v")));
    studio.advance(PENDING);
    delete("bob", "late");
    studio.advance(DELETING.plus(LISTED));
    assertEquals(all.size(), studio.sagemaker.listAppsPaginator(r -> r.domainIdEquals(DOMAIN).maxResults(100))
        .apps().stream().count());
    assertThrows(ResourceNotFoundException.class, () -> studio.sagemaker.listTags(r -> r.resourceArn(arn)));
  }
}

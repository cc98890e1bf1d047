package io.studiocp.emulators.sagemaker;

import static io.studiocp.emulators.sagemaker.StudioFixture.ARN_PREFIX;
import static io.studiocp.emulators.sagemaker.StudioFixture.DELETING;
import static io.studiocp.emulators.sagemaker.StudioFixture.DOMAIN;
import static io.studiocp.emulators.sagemaker.StudioFixture.PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.AppType;
import software.amazon.awssdk.services.sagemaker.model.CreateSpaceRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeSpaceResponse;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.ResourceLimitExceededException;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.SharingType;
import software.amazon.awssdk.services.sagemaker.model.SortOrder;
import software.amazon.awssdk.services.sagemaker.model.SpaceDetails;
import software.amazon.awssdk.services.sagemaker.model.Tag;

class StudioSpacesTest {

  private StudioFixture studio;

  @BeforeEach
  void start() {
    studio = new StudioFixture();
  }

  @AfterEach
  void stop() {
    studio.close();
  }

  private void createPrivate(String name, String owner) {
    studio.sagemaker.createSpace(r -> r.domainId(DOMAIN).spaceName(name)
        .ownershipSettings(o -> o.ownerUserProfileName(owner))
        .spaceSharingSettings(s -> s.sharingType(SharingType.PRIVATE))
        .spaceSettings(s -> s.appType(AppType.JUPYTER_LAB)));
  }

  @Test
  void aCreatedSpaceIsPendingThenInServiceWithItsSettingsOwnerAndTags() {
    String arn = studio.sagemaker.createSpace(r -> r.domainId(DOMAIN).spaceName("bob-notebooks")
        .spaceDisplayName("Bob's notebooks")
        .ownershipSettings(o -> o.ownerUserProfileName("bob"))
        .spaceSharingSettings(s -> s.sharingType(SharingType.PRIVATE))
        .spaceSettings(s -> s.appType(AppType.CODE_EDITOR).remoteAccess("ENABLED"))
        .tags(Tag.builder().key("studiocp:owner").value("bob").build())).spaceArn();
    assertEquals(ARN_PREFIX + "space/d-test/bob-notebooks", arn);

    DescribeSpaceResponse space = studio.sagemaker.describeSpace(r -> r.domainId(DOMAIN).spaceName("bob-notebooks"));
    assertEquals("Pending", space.statusAsString());
    assertEquals("bob", space.ownershipSettings().ownerUserProfileName());
    assertEquals(SharingType.PRIVATE, space.spaceSharingSettings().sharingType());
    assertEquals(AppType.CODE_EDITOR, space.spaceSettings().appType());
    assertEquals("ENABLED", space.spaceSettings().remoteAccessAsString());
    assertEquals("Bob's notebooks", space.spaceDisplayName());
    assertEquals(List.of(Tag.builder().key("studiocp:owner").value("bob").build()),
        studio.sagemaker.listTags(r -> r.resourceArn(arn)).tags());

    studio.advance(PENDING);
    SpaceDetails listed = studio.sagemaker.listSpaces(r -> r.domainIdEquals(DOMAIN).spaceNameContains("bob")).spaces()
        .getFirst();
    assertEquals("InService", listed.statusAsString());
    assertEquals(AppType.CODE_EDITOR, listed.spaceSettingsSummary().appType());
    assertEquals("bob", listed.ownershipSettingsSummary().ownerUserProfileName());
    assertEquals(SharingType.PRIVATE, listed.spaceSharingSettingsSummary().sharingType());
  }

  @Test
  void aTakenNameIsResourceInUseAndChangesNothing() {
    createPrivate("mine", "bob");
    ResourceInUseException e = assertThrows(ResourceInUseException.class, () -> createPrivate("mine", "carol"));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertEquals("bob", studio.world.space(DOMAIN, "mine").orElseThrow().ownerUserProfileName());
  }

  @Test
  void aMissingDomainOrOwnerIsResourceNotFound() {
    assertThrows(ResourceNotFoundException.class, () -> studio.sagemaker.createSpace(
        r -> r.domainId("d-nowhere").spaceName("x")));
    ResourceNotFoundException owner = assertThrows(ResourceNotFoundException.class, () -> createPrivate("x", "nobody"));
    assertTrue(owner.getMessage().contains("user-profile/d-test/nobody"), owner.getMessage());
    assertTrue(studio.world.space(DOMAIN, "x").isEmpty());
  }

  @Test
  void ownershipAndSharingComeTogether() {
    SageMakerException e = assertThrows(SageMakerException.class, () -> studio.sagemaker.createSpace(
        r -> r.domainId(DOMAIN).spaceName("half").spaceSharingSettings(s -> s.sharingType(SharingType.PRIVATE))));
    assertEquals("ValidationException", e.awsErrorDetails().errorCode());
    assertTrue(studio.world.space(DOMAIN, "half").isEmpty());
  }

  @Test
  void badNamesAreRefusedWithSageMakersConstraintMessage() {
    for (String name : List.of("under_score", "-leading", "trailing-", "a".repeat(64), "dots.in.it")) {
      SageMakerException e = assertThrows(SageMakerException.class, () -> createPrivate(name, "bob"), name);
      assertEquals("ValidationException", e.awsErrorDetails().errorCode(), name);
      assertTrue(e.awsErrorDetails().errorMessage().matches(
          "\\d validation errors? detected: Value '.*' at 'spaceName' failed to satisfy constraint: Member must .*"),
          e.awsErrorDetails().errorMessage());
      assertTrue(studio.world.space(DOMAIN, name).isEmpty(), name);
    }
  }

  @Test
  void aDomainHoldsAtMostItsLimitOfSpaces() {
    studio.world.limits(new StudioWorld.Limits(3, Integer.MAX_VALUE));
    createPrivate("third", "bob");
    assertThrows(ResourceLimitExceededException.class, () -> createPrivate("fourth", "bob"));
    assertTrue(studio.world.space(DOMAIN, "fourth").isEmpty());
  }

  @Test
  void aSpaceWithAnAppNotYetDeletedIsInUseThenDeletingThenGone() {
    String arn = ARN_PREFIX + "space/d-test/shared-space";
    ResourceInUseException busy = assertThrows(ResourceInUseException.class,
        () -> studio.sagemaker.deleteSpace(r -> r.domainId(DOMAIN).spaceName("shared-space")));
    assertTrue(busy.getMessage().contains("JupyterLab default (InService)"), busy.getMessage());

    studio.sagemaker.deleteApp(r -> r.domainId(DOMAIN).spaceName("shared-space").appType(AppType.JUPYTER_LAB)
        .appName("default"));
    ResourceInUseException stillDeleting = assertThrows(ResourceInUseException.class,
        () -> studio.sagemaker.deleteSpace(r -> r.domainId(DOMAIN).spaceName("shared-space")));
    assertTrue(stillDeleting.getMessage().contains("(Deleting)"), stillDeleting.getMessage());

    studio.advance(DELETING);
    studio.sagemaker.addTags(r -> r.resourceArn(arn).tags(Tag.builder().key("k").value("v").build()));
    studio.sagemaker.deleteSpace(r -> r.domainId(DOMAIN).spaceName("shared-space"));
    assertEquals("Deleting", studio.sagemaker.describeSpace(r -> r.domainId(DOMAIN).spaceName("shared-space"))
        .statusAsString());
    assertThrows(ResourceInUseException.class,
        () -> studio.sagemaker.deleteSpace(r -> r.domainId(DOMAIN).spaceName("shared-space")));

    studio.advance(DELETING);
    assertThrows(ResourceNotFoundException.class,
        () -> studio.sagemaker.describeSpace(r -> r.domainId(DOMAIN).spaceName("shared-space")));
    assertThrows(ResourceNotFoundException.class,
        () -> studio.sagemaker.deleteSpace(r -> r.domainId(DOMAIN).spaceName("shared-space")));
    assertFalse(studio.sagemaker.listSpaces(r -> r.domainIdEquals(DOMAIN)).spaces().stream()
        .anyMatch(s -> s.spaceName().equals("shared-space")));
    assertThrows(ResourceNotFoundException.class, () -> studio.sagemaker.listTags(r -> r.resourceArn(arn)),
        "its tags went with it");
  }

  @Test
  void listsSpacesByNameSortedAndPaged() {
    for (int i = 0; i < 23; i++) {
      int n = i;
      studio.advance(Duration.ofSeconds(1));
      studio.sagemaker.createSpace(r -> r.domainId(DOMAIN).spaceName(String.format("team-%02d", n)));
    }
    studio.standIn.resetCalls();
    List<SpaceDetails> spaces = studio.sagemaker.listSpacesPaginator(r -> r.domainIdEquals(DOMAIN)
        .spaceNameContains("team").sortOrder(SortOrder.DESCENDING).maxResults(10)).spaces().stream().toList();
    assertEquals(23, spaces.size());
    assertEquals(3, studio.standIn.calls().get("ListSpaces"));
    assertEquals("team-22", spaces.getFirst().spaceName());
    assertEquals("team-00", spaces.getLast().spaceName());
    List<String> ascending = studio.sagemaker.listSpaces(r -> r.domainIdEquals(DOMAIN).maxResults(100)).spaces()
        .stream().map(SpaceDetails::spaceName).toList();
    assertTrue(ascending.indexOf("team-00") < ascending.indexOf("team-22"), "ascending by creation time by default");
    SageMakerException badToken = assertThrows(SageMakerException.class,
        () -> studio.sagemaker.listSpaces(r -> r.domainIdEquals(DOMAIN).nextToken("not-a-token")));
    assertEquals("ValidationException", badToken.awsErrorDetails().errorCode());
  }
}

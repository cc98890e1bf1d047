package io.studiocp.emulators.sagemaker;

import static io.studiocp.emulators.sagemaker.StudioFixture.DELETING;
import static io.studiocp.emulators.sagemaker.StudioFixture.DOMAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.AppType;
import software.amazon.awssdk.services.sagemaker.model.CreatePresignedDomainUrlRequest;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

class PresignedUrlTest {

  private StudioFixture studio;

  @BeforeEach
  void start() {
    studio = new StudioFixture();
  }

  @AfterEach
  void stop() {
    studio.close();
  }

  private String url(Consumer<CreatePresignedDomainUrlRequest.Builder> request) {
    return studio.sagemaker.createPresignedDomainUrl(request).authorizedUrl();
  }

  @Test
  void theUrlHasSageMakersShapeAndTellsWhoseItIsWhereItLandsAndUntilWhen() {
    String url = url(r -> r.domainId(DOMAIN).userProfileName("alice").spaceName("alice-private")
        .landingUri("app:CodeEditor:").expiresInSeconds(60).sessionExpirationDurationInSeconds(1800));
    URI uri = URI.create(url);
    assertEquals("https", uri.getScheme());
    assertEquals("d-test.studio.us-east-1.sagemaker.aws", uri.getHost());
    assertEquals("/auth", uri.getPath());
    assertTrue(uri.getQuery().startsWith("token=eyJ"), "a JWT, as SageMaker's token is");

    PresignedUrls.PresignedUrl granted = studio.standIn.presignedUrl(url);
    assertEquals(DOMAIN, granted.domainId());
    assertEquals("alice", granted.userProfileName());
    assertEquals("alice-private", granted.spaceName());
    assertEquals("app:CodeEditor:", granted.landingUri());
    assertEquals(studio.clock.instant().plusSeconds(60), granted.expiresAt());
    assertEquals(Duration.ofSeconds(1800), granted.sessionExpiration());
    assertFalse(granted.expired(studio.clock.instant().plusSeconds(59)));
    assertTrue(granted.expired(studio.clock.instant().plusSeconds(60)));
  }

  @Test
  void defaultsAreFiveMinutesAndATwelveHourSession() {
    PresignedUrls.PresignedUrl granted = studio.standIn.presignedUrl(url(r -> r.domainId(DOMAIN).userProfileName("bob")));
    assertEquals("bob", granted.userProfileName());
    assertNull(granted.spaceName());
    assertEquals(studio.clock.instant().plusSeconds(300), granted.expiresAt());
    assertEquals(Duration.ofHours(12), granted.sessionExpiration());
  }

  @Test
  void durationsOutsideSageMakersRangesAreRefusedNamingTheMember() {
    record Case(Consumer<CreatePresignedDomainUrlRequest.Builder> request, String message) {}
    for (Case c : List.of(
        new Case(r -> r.expiresInSeconds(4), "Value '4' at 'expiresInSeconds' failed to satisfy constraint: "
            + "Member must have value greater than or equal to 5"),
        new Case(r -> r.expiresInSeconds(301), "Value '301' at 'expiresInSeconds' failed to satisfy constraint: "
            + "Member must have value less than or equal to 300"),
        new Case(r -> r.sessionExpirationDurationInSeconds(1799), "Value '1799' at 'sessionExpirationDurationInSeconds'"
            + " failed to satisfy constraint: Member must have value greater than or equal to 1800"),
        new Case(r -> r.sessionExpirationDurationInSeconds(43201), "Value '43201' at "
            + "'sessionExpirationDurationInSeconds' failed to satisfy constraint: Member must have value less than or "
            + "equal to 43200"))) {
      SageMakerException e = assertThrows(SageMakerException.class,
          () -> url(r -> c.request().accept(r.domainId(DOMAIN).userProfileName("alice"))));
      assertEquals("ValidationException", e.awsErrorDetails().errorCode());
      assertEquals("1 validation error detected: " + c.message(), e.awsErrorDetails().errorMessage());
    }
  }

  @Test
  void aMissingProfileOrSpaceIsNotFoundAndAPrivateSpaceOpensForItsOwnerOnly() {
    assertThrows(ResourceNotFoundException.class, () -> url(r -> r.domainId(DOMAIN).userProfileName("nobody")));
    assertThrows(ResourceNotFoundException.class, () -> url(r -> r.domainId("d-nowhere").userProfileName("alice")));
    assertThrows(ResourceNotFoundException.class,
        () -> url(r -> r.domainId(DOMAIN).userProfileName("alice").spaceName("no-such-space")));
    SageMakerException notHers = assertThrows(SageMakerException.class,
        () -> url(r -> r.domainId(DOMAIN).userProfileName("bob").spaceName("alice-private")));
    assertEquals("ValidationException", notHers.awsErrorDetails().errorCode());
    assertEquals("bob", studio.standIn.presignedUrl(url(r -> r.domainId(DOMAIN).userProfileName("bob")
        .spaceName("shared-space"))).userProfileName(), "a shared space opens for anyone in the domain");
  }

  @Test
  void aSpaceBeingDeletedDoesNotOpen() {
    studio.sagemaker.deleteApp(r -> r.domainId(DOMAIN).spaceName("shared-space").appType(AppType.JUPYTER_LAB)
        .appName("default"));
    studio.advance(DELETING);
    studio.sagemaker.deleteSpace(r -> r.domainId(DOMAIN).spaceName("shared-space"));
    assertThrows(ResourceNotFoundException.class,
        () -> url(r -> r.domainId(DOMAIN).userProfileName("alice").spaceName("shared-space")));
  }

  @Test
  void onlyTheDocumentedLandingPagesAreAccepted() {
    SageMakerException e = assertThrows(SageMakerException.class,
        () -> url(r -> r.domainId(DOMAIN).userProfileName("alice").landingUri("app:VSCode:")));
    assertEquals("ValidationException", e.awsErrorDetails().errorCode());
    assertEquals("studio::", studio.standIn.presignedUrl(url(r -> r.domainId(DOMAIN).userProfileName("alice")
        .landingUri("studio::"))).landingUri());
  }

  @Test
  void aUrlThisStandInDidNotIssueIsNotRead() {
    String url = url(r -> r.domainId(DOMAIN).userProfileName("alice"));
    String[] token = url.substring(url.indexOf("token=") + 6).split("\\.");
    String forged = url.replace(token[1], token[1].replace('A', 'B').replace('e', 'f'));
    assertThrows(IllegalArgumentException.class, () -> studio.standIn.presignedUrl(forged));
    assertThrows(IllegalArgumentException.class,
        () -> studio.standIn.presignedUrl(url.replace("d-test.studio", "d-other.studio")));
    assertThrows(IllegalArgumentException.class, () -> studio.standIn.presignedUrl("https://example.com/auth?token=x"));
    try (StudioFixture other = new StudioFixture()) {
      assertThrows(IllegalArgumentException.class, () -> other.standIn.presignedUrl(url),
          "each stand-in signs with its own key");
    }
  }
}

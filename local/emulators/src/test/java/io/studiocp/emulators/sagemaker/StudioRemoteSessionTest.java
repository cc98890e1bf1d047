package io.studiocp.emulators.sagemaker;

import static io.studiocp.emulators.sagemaker.StudioFixture.ARN_PREFIX;
import static io.studiocp.emulators.sagemaker.StudioFixture.DOMAIN;
import static io.studiocp.emulators.sagemaker.StudioFixture.PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.AppInstanceType;
import software.amazon.awssdk.services.sagemaker.model.AppType;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.SharingType;
import software.amazon.awssdk.services.sagemaker.model.StartSessionResponse;

/**
 * StartSession, SageMaker's own remote access to a space, as the API reference describes it: the
 * space named by its ARN, a Session Manager stream back (SessionId, a wss:// StreamUrl, a token of at
 * most 1024 characters), ResourceNotFound for a space that does not exist. The stand-in's own rules,
 * not verified against AWS: remote access off, or no InService app, is a ValidationException; an ARN
 * that is not a space's too. No stream is opened: what the plugin would do with it cannot run here.
 */
class StudioRemoteSessionTest {

  private StudioFixture studio;

  @BeforeEach
  void start() {
    studio = new StudioFixture();
  }

  @AfterEach
  void stop() {
    studio.close();
  }

  private void space(String name, String remoteAccess, boolean running) {
    studio.sagemaker.createSpace(r -> r.domainId(DOMAIN).spaceName(name)
        .ownershipSettings(o -> o.ownerUserProfileName("bob"))
        .spaceSharingSettings(s -> s.sharingType(SharingType.PRIVATE))
        .spaceSettings(s -> s.appType(AppType.CODE_EDITOR).remoteAccess(remoteAccess)));
    studio.advance(PENDING);
    if (running) {
      studio.sagemaker.createApp(r -> r.domainId(DOMAIN).spaceName(name).appType(AppType.CODE_EDITOR)
          .appName("default").resourceSpec(s -> s.instanceType(AppInstanceType.ML_T3_MEDIUM)));
    }
  }

  private StartSessionResponse startSession(String arn) {
    return studio.sagemaker.startSession(r -> r.resourceIdentifier(arn));
  }

  @Test
  void aRunningSpaceWithRemoteAccessAnswersAStreamForThePlugin() {
    space("bob-remote", "ENABLED", true);
    String arn = ARN_PREFIX + "space/d-test/bob-remote";
    // The app is still Pending: nothing to connect to yet.
    SageMakerException pending = assertThrows(SageMakerException.class, () -> startSession(arn));
    assertEquals("ValidationException", pending.awsErrorDetails().errorCode());
    studio.advance(PENDING);

    StartSessionResponse session = startSession(arn);
    assertTrue(session.sessionId().startsWith("sagemaker-"), session.sessionId());
    assertTrue(session.streamUrl().startsWith("wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/"
        + session.sessionId() + "?"), session.streamUrl());
    assertTrue(session.tokenValue().length() >= 64 && session.tokenValue().length() <= 1024);
    RemoteSessions.Started started = studio.standIn.remoteSession(session.sessionId()).orElseThrow();
    assertEquals(arn, started.spaceArn());
    assertEquals(session.tokenValue(), started.tokenValue());

    StartSessionResponse second = startSession(arn);
    assertTrue(!second.sessionId().equals(session.sessionId()) && !second.tokenValue().equals(session.tokenValue()),
        "every session is its own stream and token");
    assertEquals(2, studio.standIn.remoteSessions().size());
  }

  @Test
  void aSpaceThatDoesNotExistIsResourceNotFound() {
    ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
        () -> startSession(ARN_PREFIX + "space/d-test/nowhere"));
    assertTrue(e.awsErrorDetails().errorMessage().contains("space/d-test/nowhere"), e.getMessage());
    assertEquals(List.of(), studio.standIn.remoteSessions());
  }

  @Test
  void remoteAccessOffNoRunningAppOrAnotherKindOfArnIsRefused() {
    space("bob-off", "DISABLED", true);
    space("bob-stopped", "ENABLED", false);
    studio.advance(PENDING);
    for (String arn : List.of(ARN_PREFIX + "space/d-test/bob-off", ARN_PREFIX + "space/d-test/bob-stopped",
        ARN_PREFIX + "app/d-test/bob-off/codeeditor/default", ARN_PREFIX + "space/d-test/alice-private",
        "arn:aws:sagemaker:eu-west-1:123456789012:space/d-test/bob-off")) {
      SageMakerException e = assertThrows(SageMakerException.class, () -> startSession(arn), arn);
      assertEquals("ValidationException", e.awsErrorDetails().errorCode(), arn);
      assertEquals(400, e.statusCode());
    }
    SageMakerException off = assertThrows(SageMakerException.class,
        () -> startSession(ARN_PREFIX + "space/d-test/bob-off"));
    assertTrue(off.awsErrorDetails().errorMessage().contains("Remote access is not enabled"), off.getMessage());
    assertEquals(List.of(), studio.standIn.remoteSessions());
  }
}

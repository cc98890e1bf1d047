package io.studiocp.emulators.sagemaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.emulators.testing.RawCall;
import io.studiocp.emulators.testing.RawCall.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What no SDK sends but a stand-in must refuse as SageMaker does, over raw HTTP. */
class StudioProtocolTest {

  private StudioFixture studio;

  @BeforeEach
  void start() {
    studio = new StudioFixture();
  }

  @AfterEach
  void stop() {
    studio.close();
  }

  private Answer call(String operation, String body) {
    return RawCall.post(studio.standIn.endpoint(), "SageMaker." + operation, body);
  }

  @Test
  void aMisspelledMemberIsASerializationErrorAndChangesNothing() {
    Answer answer = call("CreateSpace", "{\"DomainId\": \"d-test\", \"SpaceName\": \"x\", \"OwnerShipSettings\": {}}");
    assertEquals(400, answer.status());
    assertEquals("SerializationException", answer.errorType());
    assertTrue(answer.message().contains("'OwnerShipSettings'"), answer.message());
    assertTrue(studio.world.space("d-test", "x").isEmpty());
  }

  @Test
  void anUnknownNestedMemberIsRefusedToo() {
    Answer answer = call("CreateSpace", "{\"DomainId\": \"d-test\", \"SpaceName\": \"x\","
        + " \"SpaceSettings\": {\"AppType\": \"JupyterLab\", \"InstanceType\": \"ml.t3.medium\"}}");
    assertEquals("SerializationException", answer.errorType());
    assertTrue(answer.message().contains("'InstanceType'") && answer.message().contains("SpaceSettings"),
        answer.message());
  }

  @Test
  void aValueOfTheWrongJsonTypeIsASerializationError() {
    Answer answer = call("CreatePresignedDomainUrl",
        "{\"DomainId\": \"d-test\", \"UserProfileName\": \"alice\", \"ExpiresInSeconds\": \"60\"}");
    assertEquals("SerializationException", answer.errorType());
    assertTrue(answer.message().contains("'expiresInSeconds'"), answer.message());
  }

  @Test
  void everyConstraintBrokenIsListedInOneValidationMessage() {
    Answer answer = call("CreatePresignedDomainUrl",
        "{\"DomainId\": \"nodomain\", \"UserProfileName\": \"alice\", \"ExpiresInSeconds\": 1}");
    assertEquals("ValidationException", answer.errorType());
    assertEquals("2 validation errors detected: Value 'nodomain' at 'domainId' failed to satisfy constraint: "
        + "Member must satisfy regular expression pattern: d-(-*[a-z0-9]){1,61}; Value '1' at 'expiresInSeconds' "
        + "failed to satisfy constraint: Member must have value greater than or equal to 5", answer.message());
  }

  @Test
  void aMissingRequiredMemberIsAValidationError() {
    Answer answer = call("DeleteApp", "{\"DomainId\": \"d-test\", \"AppType\": \"KernelGateway\"}");
    assertEquals("ValidationException", answer.errorType());
    assertEquals("1 validation error detected: Value null at 'appName' failed to satisfy constraint: "
        + "Member must not be null", answer.message());
  }

  @Test
  void anOperationTheStandInLacksOrABodyThatIsNotAnObjectIsRefused() {
    assertEquals("UnknownOperationException", call("CreateDomain", "{}").errorType());
    assertEquals("SerializationException", call("ListApps", "[1, 2]").errorType());
    assertEquals("SerializationException", call("ListApps", "{not json").errorType());
  }
}

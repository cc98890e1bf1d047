package io.studiocp.emulators.ssm;

import static io.studiocp.emulators.ssm.SsmFixture.ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.http.AwsJsonError;
import io.studiocp.emulators.testing.RawCall;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InvalidInstanceIdException;
import software.amazon.awssdk.services.ssm.model.InvalidResourceIdException;
import software.amazon.awssdk.services.ssm.model.PingStatus;
import software.amazon.awssdk.services.ssm.model.ResourceTypeForTagging;
import software.amazon.awssdk.services.ssm.model.Tag;

class SsmRegistrationTest {

  private SsmFixture fixture;

  @BeforeEach
  void start() {
    fixture = new SsmFixture(null);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private List<Tag> tags(String node) {
    return fixture.ssm.listTagsForResource(r -> r.resourceType(ResourceTypeForTagging.MANAGED_INSTANCE)
        .resourceId(node)).tagList();
  }

  @Test
  void aRegisteredNodeIsAnOnlineManagedInstanceWithTheActivationsNameRoleAndTags() {
    SsmWorld.Activation activation = fixture.activation("alice", 1);
    String node = fixture.standIn.register(activation.activationId(), activation.activationCode(), "default-app");
    assertTrue(node.matches("mi-[0-9a-f]{17}"), node);

    InstanceInformation info = fixture.ssm.describeInstanceInformation(r -> r.maxResults(5))
        .instanceInformationList().getFirst();
    assertEquals(node, info.instanceId());
    assertEquals("ManagedInstance", info.resourceTypeAsString());
    assertEquals(PingStatus.ONLINE, info.pingStatus());
    assertEquals(fixture.clock.instant(), info.lastPingDateTime());
    assertEquals(activation.activationId(), info.activationId());
    assertEquals(ROLE, info.iamRole());
    assertEquals("alice-app", info.name());
    assertEquals("default-app", info.computerName());
    assertEquals(fixture.clock.instant(), info.registrationDate());
    assertEquals(List.of(Tag.builder().key("owner").value("alice").build()), tags(node),
        "the activation's tags are applied to the node, as CreateActivation documents");
    assertEquals(1, fixture.world.activation(activation.activationId()).orElseThrow().registrations());
  }

  @Test
  void theAgentIsRefusedAWrongCodeAnExpiredActivationAndOneUsedUp() {
    SsmWorld.Activation once = fixture.activation("alice", 1);
    record Case(String id, String code) {}
    fixture.standIn.register(once.activationId(), once.activationCode(), "first");
    SsmWorld.Activation expiring = fixture.activation("bob", 5);
    SsmWorld.Activation deleted = fixture.activation("carol", 5);
    fixture.ssm.deleteActivation(r -> r.activationId(deleted.activationId()));
    fixture.clock.advance(Duration.ofHours(24));
    for (Case c : List.of(
        new Case(once.activationId(), once.activationCode()),
        new Case(expiring.activationId(), expiring.activationCode()),
        new Case(deleted.activationId(), deleted.activationCode()),
        new Case(fixture.activation("dave", 1).activationId(), "WrongCode0123456789a"),
        new Case("00000000-0000-0000-0000-000000000000", once.activationCode()))) {
      AwsJsonError e = assertThrows(AwsJsonError.class, () -> fixture.standIn.register(c.id(), c.code(), "x"));
      assertEquals("InvalidActivation", e.type(), e.getMessage());
    }
    assertEquals(1, fixture.world.instances().size(), "nothing else was registered");
  }

  @Test
  void theAgentsOwnCallRegistersUnsignedAndIsHeldToTheAgentsModel() {
    SsmWorld.Activation activation = fixture.activation("alice", 1);
    ObjectNode body = JsonNodeFactory.instance.objectNode()
        .put("ActivationId", activation.activationId())
        .put("ActivationCode", activation.activationCode())
        .put("PublicKey", "A".repeat(392))
        .put("PublicKeyType", "Rsa")
        .put("Fingerprint", "6a0e5b7c-agent-fingerprint");
    ObjectNode shortKey = body.deepCopy().put("PublicKey", "A".repeat(100));
    RawCall.Answer refused = RawCall.post(fixture.standIn.endpoint(), "AmazonSSM.RegisterManagedInstance", shortKey);
    assertEquals("ValidationException", refused.errorType());
    assertTrue(refused.message().contains("'publicKey'"), refused.message());

    RawCall.Answer registered = RawCall.post(fixture.standIn.endpoint(), "AmazonSSM.RegisterManagedInstance", body);
    assertEquals(200, registered.status(), registered.body().toString());
    String node = registered.body().path("InstanceId").asText();
    assertTrue(fixture.world.instance(node).isPresent());

    RawCall.Answer again = RawCall.post(fixture.standIn.endpoint(), "AmazonSSM.RegisterManagedInstance", body);
    assertEquals("InvalidActivation", again.errorType(), "its one registration is used");
  }

  @Test
  void aDeregisteredNodeIsGoneWithItsTagsAndItsActivationDoesNotGetTheRegistrationBack() {
    SsmWorld.Activation activation = fixture.activation("alice", 1);
    String node = fixture.standIn.register(activation.activationId(), activation.activationCode(), "app");
    fixture.ssm.deregisterManagedInstance(r -> r.instanceId(node));
    assertTrue(fixture.ssm.describeInstanceInformation(r -> r.maxResults(5)).instanceInformationList().isEmpty());
    assertThrows(InvalidResourceIdException.class, () -> tags(node));
    assertThrows(InvalidInstanceIdException.class, () -> fixture.ssm.deregisterManagedInstance(r -> r.instanceId(node)));
    AwsJsonError e = assertThrows(AwsJsonError.class,
        () -> fixture.standIn.register(activation.activationId(), activation.activationCode(), "again"));
    assertEquals("InvalidActivation", e.type());
  }
}

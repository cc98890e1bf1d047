package io.studiocp.emulators.ssm;

import static io.studiocp.emulators.ssm.SsmFixture.ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.Activation;
import software.amazon.awssdk.services.ssm.model.CreateActivationResponse;
import software.amazon.awssdk.services.ssm.model.DescribeActivationsFilter;
import software.amazon.awssdk.services.ssm.model.DescribeActivationsFilterKeys;
import software.amazon.awssdk.services.ssm.model.InvalidActivationIdException;
import software.amazon.awssdk.services.ssm.model.InvalidNextTokenException;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.ssm.model.Tag;

class SsmActivationsTest {

  private SsmFixture fixture;

  @BeforeEach
  void start() {
    fixture = new SsmFixture(null);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private Activation describe(String id) {
    return fixture.ssm.describeActivations(r -> r.filters(DescribeActivationsFilter.builder()
        .filterKey(DescribeActivationsFilterKeys.ACTIVATION_IDS).filterValues(id).build())).activationList().getFirst();
  }

  @Test
  void anActivationHasAnIdACodeAndWhatItWasCreatedWith() {
    CreateActivationResponse created = fixture.ssm.createActivation(r -> r.iamRole(ROLE).registrationLimit(1)
        .description("SSH into alice's app").defaultInstanceName("alice-default")
        .tags(Tag.builder().key("studiocp:owner").value("alice").build()));
    assertTrue(created.activationId().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
        created.activationId());
    assertTrue(created.activationCode().matches("[A-Za-z0-9]{20}"), created.activationCode());

    Activation activation = describe(created.activationId());
    assertEquals(ROLE, activation.iamRole());
    assertEquals(1, activation.registrationLimit());
    assertEquals(0, activation.registrationsCount());
    assertEquals("alice-default", activation.defaultInstanceName());
    assertEquals("SSH into alice's app", activation.description());
    assertEquals(fixture.clock.instant(), activation.createdDate());
    assertEquals(fixture.clock.instant().plus(Duration.ofHours(24)), activation.expirationDate(),
        "24 hours when no ExpirationDate is given");
    assertFalse(activation.expired());
    assertEquals(List.of(Tag.builder().key("studiocp:owner").value("alice").build()), activation.tags());

    fixture.clock.advance(Duration.ofHours(24));
    assertTrue(describe(created.activationId()).expired());
  }

  @Test
  void anExpirationMustBeInTheFutureAndAtMostThirtyDaysAway() {
    Instant now = fixture.clock.instant();
    fixture.ssm.createActivation(r -> r.iamRole(ROLE).expirationDate(now.plus(Duration.ofDays(30))));
    for (Instant bad : List.of(now.plus(Duration.ofDays(30)).plusSeconds(1), now.minusSeconds(1), now)) {
      SsmException e = assertThrows(SsmException.class,
          () -> fixture.ssm.createActivation(r -> r.iamRole(ROLE).expirationDate(bad)));
      assertEquals("ValidationException", e.awsErrorDetails().errorCode(), bad.toString());
    }
    assertEquals(1, fixture.world.activations().size(), "refused activations were not created");
  }

  @Test
  void theRoleIsANameAndTheLimitWithinSsmsBounds() {
    for (var bad : List.<java.util.function.Consumer<software.amazon.awssdk.services.ssm.model.CreateActivationRequest.Builder>>of(
        r -> r.iamRole("arn:aws:iam::123456789012:role/ssm"),
        r -> r.iamRole(ROLE).registrationLimit(0),
        r -> r.iamRole(ROLE).registrationLimit(1001),
        r -> r.iamRole("r".repeat(65)),
        r -> r.iamRole(ROLE).defaultInstanceName("not allowed: ;"),
        r -> r.iamRole(ROLE).tags(Tag.builder().key("").value("v").build()))) {
      SsmException e = assertThrows(SsmException.class, () -> fixture.ssm.createActivation(bad));
      assertEquals("ValidationException", e.awsErrorDetails().errorCode(), e.getMessage());
    }
    assertTrue(fixture.world.activations().isEmpty());
  }

  @Test
  void activationsAreFilteredAndPaged() {
    for (int i = 0; i < 5; i++) {
      int n = i;
      fixture.clock.advance(Duration.ofSeconds(1));
      fixture.ssm.createActivation(r -> r.iamRole(n % 2 == 0 ? ROLE : "other-role").defaultInstanceName("node-" + n));
    }
    assertEquals(5, fixture.ssm.describeActivationsPaginator(r -> r.maxResults(2)).activationList().stream().count());
    assertEquals(List.of("node-0", "node-2", "node-4"), fixture.ssm.describeActivations(r -> r.filters(
        DescribeActivationsFilter.builder().filterKey(DescribeActivationsFilterKeys.IAM_ROLE).filterValues(ROLE).build()))
        .activationList().stream().map(Activation::defaultInstanceName).toList());
    assertEquals(List.of("node-3"), fixture.ssm.describeActivations(r -> r.filters(DescribeActivationsFilter.builder()
        .filterKey(DescribeActivationsFilterKeys.DEFAULT_INSTANCE_NAME).filterValues("node-3").build()))
        .activationList().stream().map(Activation::defaultInstanceName).toList());
    assertThrows(InvalidNextTokenException.class, () -> fixture.ssm.describeActivations(r -> r.nextToken("nope")));
  }

  @Test
  void aDeletedActivationIsGoneButWhatItRegisteredStays() {
    SsmWorld.Activation activation = fixture.activation("alice", 1);
    String node = fixture.standIn.register(activation.activationId(), activation.activationCode(), "app-host");
    fixture.ssm.deleteActivation(r -> r.activationId(activation.activationId()));
    assertTrue(fixture.ssm.describeActivations(r -> r.maxResults(50)).activationList().isEmpty());
    assertThrows(InvalidActivationIdException.class,
        () -> fixture.ssm.deleteActivation(r -> r.activationId(activation.activationId())));
    assertEquals(node, fixture.ssm.describeInstanceInformation(r -> r.maxResults(5)).instanceInformationList()
        .getFirst().instanceId(), "deleting an activation deregisters nothing");
  }
}

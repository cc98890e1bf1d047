package io.studiocp.emulators.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.DescribeInstanceInformationRequest;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationFilter;
import software.amazon.awssdk.services.ssm.model.InstanceInformationFilterKey;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;
import software.amazon.awssdk.services.ssm.model.InvalidFilterKeyException;
import software.amazon.awssdk.services.ssm.model.InvalidInstanceIdException;
import software.amazon.awssdk.services.ssm.model.InvalidInstanceInformationFilterValueException;
import software.amazon.awssdk.services.ssm.model.InvalidResourceIdException;
import software.amazon.awssdk.services.ssm.model.InvalidResourceTypeException;
import software.amazon.awssdk.services.ssm.model.PingStatus;
import software.amazon.awssdk.services.ssm.model.ResourceTypeForTagging;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.ssm.model.Tag;
import software.amazon.awssdk.services.ssm.model.TooManyTagsErrorException;

class SsmInstancesTest {

  private SsmFixture fixture;
  private final List<String> alice = new ArrayList<>();
  private final List<String> bob = new ArrayList<>();
  private String host;

  @BeforeEach
  void start() {
    fixture = new SsmFixture(null);
    SsmWorld.Activation a = fixture.activation("alice", 10);
    SsmWorld.Activation b = fixture.activation("bob", 10);
    for (int i = 0; i < 7; i++) {
      fixture.clock.advance(Duration.ofSeconds(1));
      alice.add(fixture.standIn.register(a.activationId(), a.activationCode(), "alice-" + i));
    }
    for (int i = 0; i < 5; i++) {
      fixture.clock.advance(Duration.ofSeconds(1));
      bob.add(fixture.standIn.register(b.activationId(), b.activationCode(), "bob-" + i));
    }
    host = fixture.world.addEc2Instance("i-0123456789abcdef0", "studiocp-host",
        SsmWorld.Registration.linux("ip-10-20-1-5", "10.20.1.5")).instanceId();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private List<String> ids(Consumer<DescribeInstanceInformationRequest.Builder> request) {
    return fixture.ssm.describeInstanceInformationPaginator(request).instanceInformationList().stream()
        .map(InstanceInformation::instanceId).toList();
  }

  private static InstanceInformationStringFilter filter(String key, String... values) {
    return InstanceInformationStringFilter.builder().key(key).values(values).build();
  }

  @Test
  void describesEveryNodePageByPage() {
    List<String> all = ids(r -> r.maxResults(5));
    assertEquals(13, all.size());
    assertEquals(alice.getFirst(), all.getFirst(), "oldest registration first");
    assertEquals(3, fixture.ssm.describeInstanceInformationPaginator(r -> r.maxResults(5)).stream().count());
  }

  @Test
  void filtersByTagsByTypeByPingAndById() {
    assertEquals(bob, ids(r -> r.filters(filter("tag:owner", "bob"))));
    assertEquals(12, ids(r -> r.filters(filter("tag-key", "owner"))).size());
    assertEquals(List.of(host), ids(r -> r.filters(filter("ResourceType", "EC2Instance"))));
    assertEquals(12, ids(r -> r.filters(filter("ResourceType", "ManagedInstance"))).size());
    assertEquals(List.of(alice.get(2), bob.get(0)), ids(r -> r.filters(filter("InstanceIds", bob.get(0), alice.get(2)))));
    assertEquals(List.of(alice.get(1)), ids(r -> r.instanceInformationFilterList(InstanceInformationFilter.builder()
        .key(InstanceInformationFilterKey.INSTANCE_IDS).valueSet(alice.get(1)).build())), "the legacy list too");

    Instant lastHeard = fixture.clock.instant().minus(Duration.ofHours(30));
    fixture.world.disconnect(alice.get(3), lastHeard);
    List<InstanceInformation> lost = fixture.ssm.describeInstanceInformation(r -> r.filters(
        filter("PingStatus", "ConnectionLost"))).instanceInformationList();
    assertEquals(List.of(alice.get(3)), lost.stream().map(InstanceInformation::instanceId).toList());
    assertEquals(PingStatus.CONNECTION_LOST, lost.getFirst().pingStatus());
    assertEquals(lastHeard, lost.getFirst().lastPingDateTime());
    assertEquals(12, ids(r -> r.filters(filter("PingStatus", "Online"))).size());
    fixture.world.reconnect(alice.get(3));
    assertEquals(13, ids(r -> r.filters(filter("PingStatus", "Online"))).size());
  }

  @Test
  void refusesFiltersAsSsmDoes() {
    record Case(Class<? extends SsmException> error, String code, Consumer<DescribeInstanceInformationRequest.Builder> r) {}
    for (Case c : List.of(
        new Case(SsmException.class, "ValidationException",
            r -> r.filters(filter("tag:owner", "bob"), filter("ResourceType", "ManagedInstance"))),
        new Case(InvalidInstanceInformationFilterValueException.class, "InvalidInstanceInformationFilterValue",
            r -> r.filters(filter("ResourceType", "ManagedInstance", "EC2Instance"))),
        new Case(InvalidInstanceInformationFilterValueException.class, "InvalidInstanceInformationFilterValue",
            r -> r.filters(filter("PingStatus", "Offline"))),
        new Case(InvalidFilterKeyException.class, "InvalidFilterKey", r -> r.filters(filter("Owner", "bob"))),
        new Case(InvalidInstanceIdException.class, "InvalidInstanceId",
            r -> r.filters(filter("InstanceIds", "mi-0123456789abcdef0"))),
        new Case(SsmException.class, "ValidationException", r -> r.filters(filter("PingStatus", "Online"))
            .instanceInformationFilterList(InstanceInformationFilter.builder()
                .key(InstanceInformationFilterKey.PING_STATUS).valueSet("Online").build())),
        new Case(SsmException.class, "ValidationException", r -> r.maxResults(4)),
        new Case(SsmException.class, "ValidationException", r -> r.filters(filter("tag:owner"))))) {
      SsmException e = assertThrows(c.error(), () -> fixture.ssm.describeInstanceInformation(c.r()));
      assertEquals(c.code(), e.awsErrorDetails().errorCode(), e.getMessage());
    }
  }

  @Test
  void tagsAManagedNodeButNeverAnEc2InstanceOrAnUnknownOne() {
    String node = bob.getFirst();
    fixture.ssm.addTagsToResource(r -> r.resourceType(ResourceTypeForTagging.MANAGED_INSTANCE).resourceId(node)
        .tags(Tag.builder().key("studiocp:target").value("app/default").build(),
            Tag.builder().key("owner").value("bob-again").build()));
    assertEquals(Map.of("owner", "bob-again", "studiocp:target", "app/default"), fixture.world.instance(node)
        .orElseThrow().tags());
    fixture.ssm.removeTagsFromResource(r -> r.resourceType(ResourceTypeForTagging.MANAGED_INSTANCE).resourceId(node)
        .tagKeys("owner"));
    assertEquals(List.of(Tag.builder().key("studiocp:target").value("app/default").build()),
        fixture.ssm.listTagsForResource(r -> r.resourceType(ResourceTypeForTagging.MANAGED_INSTANCE)
            .resourceId(node)).tagList());

    assertThrows(InvalidResourceTypeException.class, () -> fixture.ssm.listTagsForResource(
        r -> r.resourceType(ResourceTypeForTagging.MANAGED_INSTANCE).resourceId(host)));
    assertThrows(InvalidResourceIdException.class, () -> fixture.ssm.listTagsForResource(
        r -> r.resourceType(ResourceTypeForTagging.MANAGED_INSTANCE).resourceId("mi-0123456789abcdef0")));
    List<Tag> many = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      many.add(Tag.builder().key("k" + i).value("v").build());
    }
    assertThrows(TooManyTagsErrorException.class, () -> fixture.ssm.addTagsToResource(
        r -> r.resourceType(ResourceTypeForTagging.MANAGED_INSTANCE).resourceId(node).tags(many)));
    assertEquals(1, fixture.world.instance(node).orElseThrow().tags().size(), "nothing was added");
  }

  @Test
  void anEc2InstanceIsNotDeregisteredThroughSsm() {
    SsmException e = assertThrows(SsmException.class, () -> fixture.ssm.deregisterManagedInstance(r -> r.instanceId(host)));
    assertEquals("ValidationException", e.awsErrorDetails().errorCode(), "an i- id breaks the mi- pattern");
    assertTrue(fixture.world.instance(host).isPresent());
  }
}

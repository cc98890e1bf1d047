package io.studiocp.emulators.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.emulators.http.FreePort;
import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.testing.RawCall;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.ResourceTypeForTagging;
import software.amazon.awssdk.services.ssm.model.Tag;

/** Everything the stand-in does not answer goes to moto unchanged, behind the same endpoint. */
@ExtendWith(MotoExtension.class)
class SsmForwardingTest {

  private static final String AMI = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id";

  private final MotoServer moto;
  private final SsmFixture fixture;
  private final SsmClient direct;

  SsmForwardingTest(MotoServer moto) {
    this.moto = moto;
    moto.reset();
    this.fixture = new SsmFixture(moto.endpoint());
    this.direct = SsmFixture.client(moto.endpoint());
  }

  @AfterEach
  void stop() {
    direct.close();
    fixture.close();
  }

  @Test
  void publicParametersComeFromMotoAsIfAskedDirectly() {
    assertEquals(direct.getParameter(r -> r.name(AMI)).parameter().value(),
        fixture.ssm.getParameter(r -> r.name(AMI)).parameter().value());
    assertTrue(fixture.ssm.getParameter(r -> r.name(AMI)).parameter().value().startsWith("ami-"));
  }

  @Test
  void writesGoToMotoAndMotosErrorsComeBackUnchanged() {
    fixture.ssm.putParameter(r -> r.name("/studiocp/probe").value("42").type(ParameterType.STRING)
        .tags(Tag.builder().key("team").value("a").build()));
    assertEquals("42", direct.getParameter(r -> r.name("/studiocp/probe")).parameter().value());
    ParameterNotFoundException missing = assertThrows(ParameterNotFoundException.class,
        () -> fixture.ssm.getParameter(r -> r.name("/studiocp/none")));
    assertEquals(400, missing.statusCode());
  }

  @Test
  void theTagsOfAnythingButAManagedNodeAreMotos() {
    fixture.ssm.putParameter(r -> r.name("/studiocp/tagged").value("v").type(ParameterType.STRING));
    fixture.ssm.addTagsToResource(r -> r.resourceType(ResourceTypeForTagging.PARAMETER).resourceId("/studiocp/tagged")
        .tags(Tag.builder().key("owner").value("alice").build()));
    Map<String, String> tags = direct.listTagsForResource(r -> r.resourceType(ResourceTypeForTagging.PARAMETER)
        .resourceId("/studiocp/tagged")).tagList().stream().collect(Collectors.toMap(Tag::key, Tag::value));
    assertEquals(Map.of("owner", "alice"), tags);

    SsmWorld.Activation activation = fixture.activation("alice", 1);
    String node = fixture.standIn.register(activation.activationId(), activation.activationCode(), "app");
    assertEquals(List.of(Tag.builder().key("owner").value("alice").build()), fixture.ssm.listTagsForResource(
        r -> r.resourceType(ResourceTypeForTagging.MANAGED_INSTANCE).resourceId(node)).tagList(),
        "a managed node's tags are the stand-in's, which moto cannot hold");
    assertTrue(fixture.conformance.exchanges().stream().noneMatch(e -> e.operation().equals("PutParameter")),
        "what moto answered is not the stand-in's to answer for");
  }

  @Test
  void anUpstreamThatDoesNotAnswerIsA502NamingIt() {
    String nowhere = "http://127.0.0.1:" + FreePort.find();
    try (SsmStandIn orphan = SsmStandIn.start(new SsmWorld("us-east-1", "123456789012"), 0, nowhere)) {
      RawCall.Answer answer = RawCall.post(orphan.endpoint(), "AmazonSSM.GetParameter", "{\"Name\": \"x\"}");
      assertEquals(502, answer.status());
      assertTrue(answer.message().contains(nowhere), answer.message());
    }
  }

  @Test
  void withoutAnUpstreamOtherOperationsAreUnknown() {
    try (SsmStandIn alone = SsmStandIn.start(new SsmWorld("us-east-1", "123456789012"), 0, null)) {
      assertEquals("UnknownOperationException",
          RawCall.post(alone.endpoint(), "AmazonSSM.GetParameter", "{\"Name\": \"x\"}").errorType());
    }
  }
}

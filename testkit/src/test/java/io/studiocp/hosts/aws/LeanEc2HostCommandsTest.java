package io.studiocp.hosts.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.hosts.HostTags;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.platform.Env;
import io.studiocp.testkit.AwsTestWorld;
import io.studiocp.testkit.RecordingProxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The lean host commands against moto over HTTP, each checked by what EC2 then says (read through
 * the SDK) and beside the SDK's adapter where both can act: tags set and removed, security groups
 * replaced, shutdown made a stop, instances stopped, started and terminated (an unknown one
 * skipped), boot scripts written and read back; a refusal keeps EC2's code; priming sends nothing.
 */
@ExtendWith(MotoExtension.class)
class LeanEc2HostCommandsTest {

  private static final String IMAGE = "ami-0aae19d30bab785d3";

  private final MotoServer moto;
  private AwsTestWorld world;
  private LeanEc2HostCommands lean;

  LeanEc2HostCommandsTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void setUp() {
    world = AwsTestWorld.create(moto);
    lean = new LeanEc2HostCommands(world.ec2Query());
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  private String launch() {
    return world.ec2.runInstances(r -> r.imageId(IMAGE).instanceType("m5.large").minCount(1).maxCount(1)
        .subnetId(world.subnetIds.getFirst()).tagSpecifications(TagSpecification.builder()
            .resourceType(ResourceType.INSTANCE).tags(Tag.builder().key(HostTags.POOL).value("d-1").build(),
                Tag.builder().key(HostTags.STATE).value(HostTags.POOLED).build()).build()))
        .instances().getFirst().instanceId();
  }

  private Instance described(String instanceId) {
    return world.ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().getFirst().instances().getFirst();
  }

  private Map<String, String> tags(String instanceId) {
    Map<String, String> tags = new LinkedHashMap<>();
    described(instanceId).tags().forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }

  @Test
  void tagsAreSetAndRemovedOnEveryInstanceNamed() {
    String one = launch();
    String two = launch();
    Map<String, String> ready = new LinkedHashMap<>();
    ready.put(HostTags.STATE, "READY");
    ready.put(HostTags.DOCKER_HOST, "ip-10-0-1-5.ec2.internal");
    ready.put("Note", "a value with spaces, & and =");
    lean.tag(List.of(one, two), ready);
    for (String id : List.of(one, two)) {
      assertEquals(Map.of(HostTags.POOL, "d-1", HostTags.STATE, "READY", HostTags.DOCKER_HOST,
          "ip-10-0-1-5.ec2.internal", "Note", "a value with spaces, & and ="), tags(id));
    }
    lean.untag(List.of(one), List.of(HostTags.POOL, "Note"));
    assertEquals(Map.of(HostTags.STATE, "READY", HostTags.DOCKER_HOST, "ip-10-0-1-5.ec2.internal"), tags(one));
    assertEquals(4, tags(two).size(), "only the instances named");
    lean.tag(List.of(), ready);
    lean.untag(List.of(two), List.of());
    assertEquals(4, tags(two).size(), "nothing to do is no call");
  }

  @Test
  void anAdoptedHostGetsItsGroupsAndStopsOnShutdownAsTheSdksAdapterMakesIt() {
    String viaLean = launch();
    String viaSdk = launch();
    String group = world.ec2.createSecurityGroup(r -> r.vpcId(world.vpcId).groupName("studiocp-host")
        .description("hosts")).groupId();
    String other = world.ec2.createSecurityGroup(r -> r.vpcId(world.vpcId).groupName("studiocp-extra")
        .description("extra ports")).groupId();

    lean.replaceSecurityGroups(viaLean, List.of(group, other));
    lean.stopOnShutdown(viaLean);
    Ec2Hosts sdk = new Ec2Hosts(world.ec2);
    sdk.replaceSecurityGroups(viaSdk, List.of(group, other));
    sdk.stopOnShutdown(viaSdk);

    for (String id : List.of(viaLean, viaSdk)) {
      assertEquals(Set.of(group, other), described(id).securityGroups().stream().map(g -> g.groupId())
          .collect(Collectors.toSet()), id);
      assertEquals("stop", world.ec2.describeInstanceAttribute(r -> r.instanceId(id)
          .attribute(InstanceAttributeName.INSTANCE_INITIATED_SHUTDOWN_BEHAVIOR))
          .instanceInitiatedShutdownBehavior().value(), id);
    }
  }

  @Test
  void instancesStopStartAndTerminateAndAnUnknownOneIsSkipped() {
    String id = launch();
    lean.stop(List.of(id));
    assertTrue(List.of("stopping", "stopped").contains(described(id).state().nameAsString()));
    lean.start(List.of(id));
    assertTrue(List.of("pending", "running").contains(described(id).state().nameAsString()));
    lean.terminate(List.of(id));
    assertTrue(List.of("shutting-down", "terminated").contains(described(id).state().nameAsString()));
    lean.terminate(List.of("i-0123456789abcdef0"));
    new Ec2Hosts(world.ec2).terminate(List.of("i-0123456789abcdef0"));
    lean.terminate(List.of());
  }

  @Test
  void aBootScriptIsWrittenAndReadBackAsTheSdksAdapterReadsIt() {
    String id = launch();
    Ec2Hosts sdk = new Ec2Hosts(world.ec2);
    world.ec2.stopInstances(r -> r.instanceIds(id));
    String script = "#!/bin/bash\nSDOCKER_TASK_TOKEN='abc+/=='\necho \"ünïcode & more\"\n";
    lean.replaceBootScript(id, script);
    assertEquals(Optional.of(script), lean.bootScript(id));
    assertEquals(Optional.of(script), sdk.bootScript(id), "what the SDK's adapter reads");
    sdk.replaceBootScript(id, script + "# again\n");
    assertEquals(Optional.of(script + "# again\n"), lean.bootScript(id), "and what it writes, the lean reads");
    assertEquals(Optional.empty(), lean.bootScript("i-0123456789abcdef0"));
    assertEquals(Optional.empty(), sdk.bootScript("i-0123456789abcdef0"));
  }

  @Test
  void aRefusalKeepsEc2sCodeAsTheSdksAdapterDoes() {
    AwsServiceException refused = assertThrows(AwsServiceException.class,
        () -> lean.stopOnShutdown("i-0123456789abcdef0"));
    AwsServiceException bySdk = assertThrows(AwsServiceException.class,
        () -> new Ec2Hosts(world.ec2).stopOnShutdown("i-0123456789abcdef0"));
    assertEquals("InvalidInstanceID.NotFound", refused.awsErrorDetails().errorCode());
    assertEquals(bySdk.awsErrorDetails().errorCode(), refused.awsErrorDetails().errorCode());
    assertEquals(400, refused.statusCode());
    assertTrue(refused.getMessage().contains("i-0123456789abcdef0"), refused.getMessage());
  }

  @Test
  void primingRunsTheCommandsWithoutSendingOne() {
    try (RecordingProxy.Recorded recorded = RecordingProxy.inFrontOf(world.env())) {
      AwsQueryClient ec2 = Ec2Query.client(new AwsClients(Env.of(recorded.env())));
      LeanEc2HostCommands priming = new LeanEc2HostCommands(ec2.priming());
      priming.replaceSecurityGroups("i-0000000000priming", List.of("sg-1"));
      priming.stopOnShutdown("i-0000000000priming");
      priming.tag(List.of("i-0000000000priming"), Map.of("k", "v"));
      priming.untag(List.of("i-0000000000priming"), List.of("k"));
      assertEquals(Optional.empty(), priming.bootScript("i-0000000000priming"));
      assertEquals(List.of(), recorded.requests(), "priming calls are answered locally");
      String id = launch();
      new LeanEc2HostCommands(ec2).tag(List.of(id), Map.of("k", "v"));
      assertEquals(1, recorded.requests().size(), "the client works after priming");
      assertEquals("v", tags(id).get("k"));
    }
  }
}

package io.studiocp.functions.api;

import static io.studiocp.functions.api.ApiCalls.as;
import static io.studiocp.functions.api.ApiCalls.sample;
import static io.studiocp.testkit.AwsTestWorld.ADMIN_ROLE;
import static io.studiocp.testkit.AwsTestWorld.DOMAIN;
import static io.studiocp.testkit.AwsTestWorld.assumedRole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.emulators.http.AwsJsonError;
import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.emulators.ssm.SsmWorld;
import io.studiocp.functions.api.ApiCalls.Reply;
import io.studiocp.platform.Env;
import io.studiocp.testkit.AwsTestWorld;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The /ssh routes through their sample events, in front of the SSM stand-in (moto has no hybrid
 * activations or managed nodes) and the Studio stand-in: an activation for the caller's running
 * space or app only, for one registration, expiring, tagged; the node it registers listed, keyed
 * and deregistered by its owner (and admins) only; a host answered with its instance id; every bad
 * request a 4xx naming what to change, with nothing created or changed in SSM.
 */
@ExtendWith(MotoExtension.class)
class SshRoutesTest {

  private static final String BOB = assumedRole("studio-bob");
  private static final String HOST_ID = "h-0123456789abcdef";
  private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBXrE9VbiKwV7Z8bpA+S+UEY2M/SXbxVtGoKZuzatsen";

  private final MotoServer moto;
  private AwsTestWorld world;
  private SsmWorld ssm;
  private ApiCalls api;
  private String hostInstance;

  SshRoutesTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void start() {
    world = AwsTestWorld.create(moto);
    ssm = world.ssmStandIn.world();
    StudioWorld studio = world.studio.world();
    Instant now = Instant.now();
    studio.addSpace(new StudioWorld.Space(DOMAIN, "alice-project", "alice", "Private", now));
    studio.addApp(new StudioWorld.App(DOMAIN, null, "alice-project", "JupyterLab", "default", "ml.t3.medium",
        now.minus(Duration.ofHours(1)), "InService"));
    studio.addApp(new StudioWorld.App(DOMAIN, "alice", null, "KernelGateway", "gpu-kernel", "ml.g4dn.xlarge",
        now.minus(Duration.ofHours(2)), "InService"));
    studio.addSpace(new StudioWorld.Space(DOMAIN, "idle-space", "alice", "Private", now));
    studio.addSpace(new StudioWorld.Space(DOMAIN, "bob-private", "bob", "Private", now));
    studio.addApp(new StudioWorld.App(DOMAIN, null, "bob-private", "CodeEditor", "default", "ml.t3.medium",
        now.minus(Duration.ofHours(1)), "InService"));
    String image = world.ec2.describeImages(r -> r.owners("amazon")).images().getFirst().imageId();
    hostInstance = world.ec2.runInstances(r -> r.imageId(image).minCount(1).maxCount(1).instanceType("m5.large")
        .subnetId(world.subnetIds.getFirst()).tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(
            Tag.builder().key("studiocp:managed").value("true").build(),
            Tag.builder().key("studiocp:host-id").value(HOST_ID).build(),
            Tag.builder().key("studiocp:owner").value(DOMAIN + "/alice").build(),
            Tag.builder().key("studiocp:domain").value(DOMAIN).build(),
            Tag.builder().key("studiocp:user-profile").value("alice").build(),
            Tag.builder().key("studiocp:state").value("READY").build())))
        .instances().getFirst().instanceId();
    Map<String, String> env = new HashMap<>(world.env());
    env.put("STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:ProvisionHost");
    env.put("START_STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:StartHost");
    env.put("SSH_ACTIVATION_ROLE", "studiocp-ssh-node");
    env.put("SSH_ACTIVATION_MINUTES", "20");
    env.put("ADMIN_PRINCIPALS", ADMIN_ROLE);
    api = new ApiCalls(new ApiHandler(Env.of(env)));
  }

  @AfterEach
  void stop() {
    world.close();
  }

  /** Each POST and DELETE a request of its own, with a fresh Idempotency-Key, as sdocker sends them. */
  private Reply send(APIGatewayProxyRequestEvent event) {
    if (List.of("POST", "DELETE").contains(event.getHttpMethod())) {
      ApiCalls.header(event, "Idempotency-Key", UUID.randomUUID().toString());
    }
    return api.send(event);
  }

  private static APIGatewayProxyRequestEvent body(APIGatewayProxyRequestEvent event, String body) {
    event.setBody(body);
    return event;
  }

  private static APIGatewayProxyRequestEvent node(APIGatewayProxyRequestEvent event, String id) {
    event.setPathParameters(Map.of("id", id));
    event.setPath(event.getResource().replace("{id}", id));
    return event;
  }

  private static APIGatewayProxyRequestEvent query(APIGatewayProxyRequestEvent event, Map<String, String> query) {
    event.setQueryStringParameters(query);
    return event;
  }

  /** Alice activates her space and her agent registers with it: the node's id. */
  private String registeredNode() {
    Reply reply = send(sample("api-ssh-activation.json"));
    assertEquals(201, reply.status(), reply.body().toString());
    return world.ssmStandIn.register(reply.body().get("activationId").asText(),
        reply.body().get("activationCode").asText(), "default-ml-t3-medium-1a2b");
  }

  private static List<String> ids(JsonNode reply) {
    return StreamSupport.stream(reply.get("targets").spliterator(), false).map(t -> t.get("id").asText()).toList();
  }

  @Test
  void anActivationIsForOneRegistrationOfTheCallersRunningSpaceExpiringAndTagged() {
    Instant before = Instant.now();
    Reply reply = send(sample("api-ssh-activation.json"));

    assertEquals(201, reply.status(), reply.body().toString());
    JsonNode body = reply.body();
    assertEquals("alice-project", body.at("/target/space").asText());
    assertEquals(DOMAIN + "/alice", body.get("owner").asText());
    assertEquals("us-east-1", body.get("region").asText());
    assertTrue(body.get("register").asText().startsWith("amazon-ssm-agent -register -y -code "), body.toString());
    SsmWorld.Activation activation = ssm.activation(body.get("activationId").asText()).orElseThrow();
    assertEquals(1, activation.registrationLimit());
    assertEquals("studiocp-ssh-node", activation.iamRole());
    Duration lifetime = Duration.between(before, activation.expirationDate());
    assertTrue(lifetime.compareTo(Duration.ofMinutes(19)) > 0 && lifetime.compareTo(Duration.ofMinutes(21)) < 0,
        "expires in SshActivationMinutes (20): " + lifetime);
    assertTrue(Math.abs(Instant.parse(body.get("expiresAt").asText()).getEpochSecond()
        - activation.expirationDate().getEpochSecond()) <= 1, body.get("expiresAt") + " vs " + activation.expirationDate());
    assertEquals(Map.of("studiocp:managed", "true", "studiocp:owner", DOMAIN + "/alice",
        "studiocp:ssh-target", "space/alice-project", "studiocp:ssh-requested-at",
        activation.tags().get("studiocp:ssh-requested-at")), activation.tags());

    String id = world.ssmStandIn.register(activation.activationId(), body.get("activationCode").asText(), "app");
    assertEquals(DOMAIN + "/alice", ssm.instance(id).orElseThrow().tags().get("studiocp:owner"));
    AwsJsonError second = assertThrows(AwsJsonError.class, () ->
        world.ssmStandIn.register(activation.activationId(), body.get("activationCode").asText(), "another"));
    assertEquals("InvalidActivation", second.type(), "one registration only");
  }

  @Test
  void aSpaceWithSageMakersOwnRemoteAccessIsSaidToHaveIt() throws Exception {
    Instant now = Instant.now();
    world.studio.world().addSpace(new StudioWorld.Space(DOMAIN, "remote-space", "alice", "Private", now, null,
        new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"AppType\": \"CodeEditor\", \"RemoteAccess\": \"ENABLED\"}")));
    world.studio.world().addApp(new StudioWorld.App(DOMAIN, null, "remote-space", "CodeEditor", "default",
        "ml.t3.medium", now, "InService"));

    Reply remote = send(body(sample("api-ssh-activation.json"), "{\"target\": {\"space\": \"remote-space\"}}"));
    Reply plain = send(sample("api-ssh-activation.json"));

    assertEquals(201, remote.status(), remote.body().toString());
    assertTrue(remote.body().path("spaceRemoteAccess").asBoolean(), remote.body().toString());
    assertTrue(remote.body().get("note").asText().contains("sdocker ssh config --space "), remote.body().toString());
    assertFalse(plain.body().has("spaceRemoteAccess"), plain.body().toString());
  }

  @Test
  void anAppOfTheCallersProfileCanBeActivatedByItsName() {
    Reply reply = send(body(sample("api-ssh-activation.json"), "{\"target\": {\"app\": \"gpu-kernel\"}}"));

    assertEquals(201, reply.status(), reply.body().toString());
    assertEquals("app/gpu-kernel", ssm.activation(reply.body().get("activationId").asText()).orElseThrow()
        .tags().get("studiocp:ssh-target"));
  }

  @Test
  void aUserHoldsAtMostFiveUnusedActivations() {
    for (int i = 0; i < 5; i++) {
      assertEquals(201, send(sample("api-ssh-activation.json")).status());
    }
    Reply sixth = send(sample("api-ssh-activation.json"));
    assertEquals(409, sixth.status(), sixth.body().toString());
    assertEquals("TooManyActivations", sixth.error());
    assertEquals(5, ssm.activations().size(), "no sixth activation");
    Reply bobs = send(as(body(sample("api-ssh-activation.json"), "{\"target\": {\"space\": \"bob-private\"}}"),
        BOB, "bob"));
    assertEquals(201, bobs.status(), "the limit is per user: " + bobs.body());
  }

  @Test
  void aHostIsAnsweredWithItsInstanceAndNeedsNoActivation() {
    Reply reply = send(body(sample("api-ssh-activation.json"), "{\"target\": {\"hostId\": \"" + HOST_ID + "\"}}"));

    assertEquals(200, reply.status(), reply.body().toString());
    assertEquals(hostInstance, reply.body().get("instanceId").asText());
    assertFalse(reply.body().has("activationId"));
    assertEquals(List.of(), ssm.activations());

    Reply bobs = send(as(body(sample("api-ssh-activation.json"), "{\"target\": {\"hostId\": \"" + HOST_ID + "\"}}"),
        BOB, "bob"));
    assertEquals(404, bobs.status(), bobs.body().toString());
    assertEquals("no host " + HOST_ID + " of yours", bobs.message());
  }

  @Test
  void targetsAreListedForTheirOwnerAndForAdminsOnly() {
    String id = registeredNode();

    Reply mine = send(sample("api-ssh-targets.json"));
    assertEquals(200, mine.status(), mine.body().toString());
    assertEquals(List.of(id), ids(mine.body()));
    JsonNode target = mine.body().get("targets").get(0);
    assertEquals("Online", target.get("pingStatus").asText());
    assertEquals("alice-project", target.at("/target/space").asText());
    assertEquals(DOMAIN + "/alice", target.get("owner").asText());

    Reply bobs = send(as(sample("api-ssh-targets.json"), BOB, "bob"));
    assertEquals(List.of(), ids(bobs.body()));
    Reply bobsAll = send(query(as(sample("api-ssh-targets.json"), BOB, "bob"), Map.of("all", "true")));
    assertEquals(403, bobsAll.status(), bobsAll.body().toString());
    Reply admins = send(query(as(sample("api-ssh-targets.json"), ADMIN_ROLE, null), Map.of("all", "true")));
    assertEquals(200, admins.status(), admins.body().toString());
    assertEquals(List.of(id), ids(admins.body()));
  }

  @Test
  void onlyItsOwnerOrAnAdminDeregistersATargetAnotherUserGetsA404() {
    String id = registeredNode();

    Reply bobs = send(as(node(sample("api-ssh-deregister.json"), id), BOB, "bob"));
    assertEquals(404, bobs.status(), bobs.body().toString());
    assertEquals("no SSH target " + id + " of yours", bobs.message());
    assertTrue(ssm.instance(id).isPresent(), "bob changed nothing");
    Reply none = send(node(sample("api-ssh-deregister.json"), "mi-0123456789abcdef9"));
    assertEquals(404, none.status());
    assertEquals("no SSH target mi-0123456789abcdef9 of yours", none.message(), "the same answer as another's");

    Reply alices = send(node(sample("api-ssh-deregister.json"), id));
    assertEquals(200, alices.status(), alices.body().toString());
    assertTrue(alices.body().get("deregistered").asBoolean());
    assertFalse(ssm.instance(id).isPresent());

    String second = registeredNode();
    Reply admin = send(as(node(sample("api-ssh-deregister.json"), second), ADMIN_ROLE, null));
    assertEquals(200, admin.status(), admin.body().toString());
    assertFalse(ssm.instance(second).isPresent());
  }

  @Test
  void thePublicKeyGoesOnTheOwnersNodeOnly() {
    String id = registeredNode();

    Reply bobs = send(as(node(sample("api-ssh-key.json"), id), BOB, "bob"));
    assertEquals(404, bobs.status(), bobs.body().toString());
    assertFalse(ssm.instance(id).orElseThrow().tags().containsKey("studiocp:ssh-public-key"));

    Reply alices = send(node(sample("api-ssh-key.json"), id));
    assertEquals(200, alices.status(), alices.body().toString());
    assertEquals(KEY, ssm.instance(id).orElseThrow().tags().get("studiocp:ssh-public-key"), "without its comment");
    assertEquals(KEY, send(sample("api-ssh-targets.json")).body().at("/targets/0/publicKey").asText());
  }

  /** A bad request: what to change, and the answer it must get. */
  private record Bad(String what, UnaryOperator<APIGatewayProxyRequestEvent> change, int status, String says) {}

  @Test
  void everyBadRequestIsA4xxNamingWhatToChangeAndChangesNothing() {
    String id = registeredNode();
    String rsa = "ssh-rsa " + "A".repeat(400) + " me@laptop";
    List<Bad> bad = List.of(
        new Bad("no body", e -> body(e, null), 400, "body is empty"),
        new Bad("an array", e -> body(e, "[]"), 400, "JSON object"),
        new Bad("unknown field", e -> body(e, "{\"target\": {\"space\": \"alice-project\"}, \"ttl\": 5}"), 400, "ttl"),
        new Bad("no target", e -> body(e, "{}"), 400, "target"),
        new Bad("target a string", e -> body(e, "{\"target\": \"alice-project\"}"), 400, "exactly one of app, space or hostId"),
        new Bad("two targets", e -> body(e, "{\"target\": {\"space\": \"alice-project\", \"app\": \"default\"}}"), 400,
            "exactly one"),
        new Bad("unknown target", e -> body(e, "{\"target\": {\"instance\": \"x\"}}"), 400, "target.instance"),
        new Bad("target a number", e -> body(e, "{\"target\": {\"space\": 7}}"), 400, "target.space"),
        new Bad("bad space name", e -> body(e, "{\"target\": {\"space\": \"-x\"}}"), 400, "not a space name"),
        new Bad("bad host id", e -> body(e, "{\"target\": {\"hostId\": \"i-123\"}}"), 400, "not a host id"),
        new Bad("unknown host", e -> body(e, "{\"target\": {\"hostId\": \"h-00000000000000ff\"}}"), 404, "no host"),
        new Bad("no such app", e -> body(e, "{\"target\": {\"app\": \"nope\"}}"), 404, "running: gpu-kernel"),
        new Bad("another's space", e -> body(e, "{\"target\": {\"space\": \"bob-private\"}}"), 404,
            "no space bob-private of yours"),
        new Bad("a space with no app", e -> body(e, "{\"target\": {\"space\": \"idle-space\"}}"), 409,
            "sdocker studio up --space idle-space"),
        new Bad("a query", e -> query(e, Map.of("dryRun", "true")), 400, "dryRun"),
        new Bad("no key", e -> ApiCalls.header(e, "Idempotency-Key", null), 400, "Idempotency-Key"),
        new Bad("no user", e -> as(e, assumedRole("studio-alice"), null), 400, "X-Studio-User-Profile"),
        new Bad("duplicate field", e -> body(e, "{\"target\": {\"space\": \"a\"}, \"target\": {\"space\": \"b\"}}"),
            400, "target"));
    List<Bad> badKeys = List.of(
        new Bad("not a node id", e -> node(e, "i-0123456789abcdef0"), 400, "mi- and 17 hex digits"),
        new Bad("no such node", e -> node(e, "mi-0123456789abcdef9"), 404, "no SSH target"),
        new Bad("a private key", e -> body(node(e, id), "{\"publicKey\": \"-----BEGIN OPENSSH PRIVATE KEY-----\"}"),
            400, "never the private key"),
        new Bad("an RSA key", e -> body(node(e, id), "{\"publicKey\": \"" + rsa + "\"}"), 400, "ssh-keygen -t ed25519"),
        new Bad("no publicKey", e -> body(node(e, id), "{}"), 400, "publicKey"),
        new Bad("key a number", e -> body(node(e, id), "{\"publicKey\": 5}"), 400, "publicKey"));
    List<Bad> badDeletes = List.of(
        new Bad("a body", e -> ApiCalls.header(body(node(e, id), "{\"force\": true}"), "Content-Type", "application/json"),
            400, "send none"),
        new Bad("not a node id", e -> node(e, "mi-xyz"), 400, "mi- and 17 hex digits"),
        new Bad("no key", e -> ApiCalls.header(node(e, id), "Idempotency-Key", null), 400, "Idempotency-Key"));
    List<Bad> badLists = List.of(
        new Bad("all=maybe", e -> query(e, Map.of("all", "maybe")), 400, "true or false"),
        new Bad("unknown query", e -> query(e, Map.of("owner", "bob")), 400, "owner"));

    int activations = ssm.activations().size();
    Map<String, String> tags = ssm.instance(id).orElseThrow().tags();
    List<String> wrong = new ArrayList<>();
    check(bad, "api-ssh-activation.json", wrong);
    check(badKeys, "api-ssh-key.json", wrong);
    check(badDeletes, "api-ssh-deregister.json", wrong);
    check(badLists, "api-ssh-targets.json", wrong);
    assertEquals(List.of(), wrong);
    assertEquals(activations, ssm.activations().size(), "no activation made");
    assertEquals(tags, ssm.instance(id).orElseThrow().tags(), "no tag changed");
    assertEquals(1, ssm.instances().size(), "nothing deregistered");
  }

  private void check(List<Bad> cases, String sample, List<String> wrong) {
    for (Bad b : cases) {
      APIGatewayProxyRequestEvent event = b.change().apply(sample(sample));
      Reply reply = b.what().equals("no key") ? api.send(event) : send(event);
      if (reply.status() != b.status() || !reply.message().contains(b.says()) || reply.error().isEmpty()) {
        wrong.add(sample + " / " + b.what() + ": " + reply.status() + " " + reply.body());
      }
    }
  }
}

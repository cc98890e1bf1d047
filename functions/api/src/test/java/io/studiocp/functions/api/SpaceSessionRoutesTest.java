package io.studiocp.functions.api;

import static io.studiocp.functions.api.ApiCalls.as;
import static io.studiocp.functions.api.ApiCalls.sample;
import static io.studiocp.testkit.AwsTestWorld.ADMIN_ROLE;
import static io.studiocp.testkit.AwsTestWorld.DOMAIN;
import static io.studiocp.testkit.AwsTestWorld.assumedRole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.sagemaker.RemoteSessions;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.functions.api.ApiCalls.Reply;
import io.studiocp.platform.Env;
import io.studiocp.testkit.AwsTestWorld;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /ssh/spaces/{space}} and {@code POST /ssh/spaces/{space}/session} through their sample
 * events, in front of the Studio stand-in (which answers StartSession as the API reference says): a
 * session through SageMaker's own remote access for the caller's own running space, or a shared one
 * of their domain, with remote access on; another user's private space a 404, as one that does not
 * exist; remote access off a 409 saying how to turn it on and naming the SSM path; no session started
 * by any refused call. What the Session Manager plugin then does with the stream needs AWS: the
 * boundary is StartSession's answer.
 */
@ExtendWith(MotoExtension.class)
class SpaceSessionRoutesTest {

  private static final String BOB = assumedRole("studio-bob");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MotoServer moto;
  private AwsTestWorld world;
  private ApiCalls api;

  SpaceSessionRoutesTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void start() throws Exception {
    world = AwsTestWorld.create(moto);
    StudioWorld studio = world.studio.world();
    Instant now = Instant.now();
    space(studio, "alice-project", "alice", "Private", "ENABLED", true, now);
    space(studio, "alice-plain", "alice", "Private", null, true, now);
    space(studio, "alice-stopped", "alice", "Private", "ENABLED", false, now);
    space(studio, "bob-private", "bob", "Private", "ENABLED", true, now);
    space(studio, "team-remote", "bob", "Shared", "ENABLED", true, now);
    space(studio, "alice-starting", "alice", "Private", "ENABLED", false, now);
    studio.addApp(new StudioWorld.App(DOMAIN, null, "alice-starting", "CodeEditor", "default", "ml.t3.medium", now,
        "Pending"));
    Map<String, String> env = new HashMap<>(world.env());
    env.put("STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:ProvisionHost");
    env.put("START_STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:StartHost");
    env.put("SSH_ACTIVATION_ROLE", "studiocp-ssh-node");
    env.put("ADMIN_PRINCIPALS", ADMIN_ROLE);
    api = new ApiCalls(new ApiHandler(Env.of(env)));
  }

  private static void space(StudioWorld studio, String name, String owner, String sharing, String remoteAccess,
      boolean running, Instant now) throws Exception {
    String settings = remoteAccess == null ? "{\"AppType\": \"CodeEditor\"}"
        : "{\"AppType\": \"CodeEditor\", \"RemoteAccess\": \"" + remoteAccess + "\"}";
    studio.addSpace(new StudioWorld.Space(DOMAIN, name, owner, sharing, now, null, JSON.readTree(settings)));
    if (running) {
      studio.addApp(new StudioWorld.App(DOMAIN, null, name, "CodeEditor", "default", "ml.t3.medium",
          now.minus(Duration.ofMinutes(30)), "InService"));
    }
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private Reply send(APIGatewayProxyRequestEvent event) {
    if ("POST".equals(event.getHttpMethod())) {
      ApiCalls.header(event, "Idempotency-Key", UUID.randomUUID().toString());
    }
    return api.send(event);
  }

  private static APIGatewayProxyRequestEvent on(APIGatewayProxyRequestEvent event, String space) {
    event.setPathParameters(Map.of("space", space));
    event.setPath(event.getResource().replace("{space}", space));
    return event;
  }

  private Reply session(String space) {
    return send(on(sample("api-ssh-space-session.json"), space));
  }

  private Reply session(String space, String caller, String profile) {
    return send(as(on(sample("api-ssh-space-session.json"), space), caller, profile));
  }

  private Reply describe(String space, String caller, String profile) {
    return send(as(on(sample("api-ssh-space.json"), space), caller, profile));
  }

  @Test
  void theOwnerGetsASessionThroughSageMakersRemoteAccessForThePlugin() {
    Reply reply = send(sample("api-ssh-space-session.json"));

    assertEquals(201, reply.status(), reply.body().toString());
    String arn = world.studio.world().spaceArn(DOMAIN, "alice-project");
    assertEquals(arn, reply.body().get("arn").asText());
    assertEquals("us-east-1", reply.body().get("region").asText());
    JsonNode session = reply.body().get("session");
    assertEquals(List.of("SessionId", "StreamUrl", "TokenValue"), List.copyOf(iterable(session)));
    RemoteSessions.Started started = world.studio.remoteSession(session.get("SessionId").asText()).orElseThrow();
    assertEquals(arn, started.spaceArn(), "StartSession was called on the space's ARN");
    assertEquals(started.tokenValue(), session.get("TokenValue").asText(), "SageMaker's token, handed on unchanged");
    assertTrue(session.get("StreamUrl").asText().startsWith("wss://"), session.toString());
  }

  @Test
  void aSharedSpaceOfTheDomainIsOpenToItsUsersAnotherUsersPrivateOneIsA404() {
    Reply alices = session("team-remote");
    assertEquals(201, alices.status(), alices.body().toString());

    Reply bobs = session("alice-project", BOB, "bob");
    assertEquals(404, bobs.status(), bobs.body().toString());
    assertEquals("no space alice-project of yours (nor shared in domain " + DOMAIN + ")", bobs.message());
    Reply none = session("nowhere");
    assertEquals(404, none.status());
    assertEquals("no space nowhere of yours (nor shared in domain " + DOMAIN + ")", none.message(),
        "another's private space is answered as one that does not exist");
    Reply bobsView = describe("alice-project", BOB, "bob");
    assertEquals(404, bobsView.status(), bobsView.body().toString());

    Reply own = session("bob-private", BOB, "bob");
    assertEquals(201, own.status(), own.body().toString());
    assertEquals(2, world.studio.remoteSessions().size(), "team-remote for alice, bob-private for bob, no other");
  }

  @Test
  void remoteAccessOffIsA409SayingHowToTurnItOnOrUseSsm() {
    Reply reply = session("alice-plain");

    assertEquals(409, reply.status(), reply.body().toString());
    assertEquals("RemoteAccessDisabled", reply.error());
    assertTrue(reply.message().contains("--space-settings RemoteAccess=ENABLED"), reply.message());
    assertTrue(reply.message().contains("sdocker ssh register"), reply.message());
    Reply stopped = session("alice-stopped");
    assertEquals(409, stopped.status(), stopped.body().toString());
    assertEquals("SpaceNotRunning", stopped.error());
    assertTrue(stopped.message().contains("sdocker studio up --space alice-stopped"), stopped.message());
    Reply starting = session("alice-starting");
    assertEquals(409, starting.status(), starting.body().toString());
    assertEquals("SpaceStarting", starting.error());
    assertEquals(List.of(), world.studio.remoteSessions(), "no session for a refused call");
  }

  @Test
  void aSpaceSaysWhichPathTheClientTakes() {
    Reply remote = describe("alice-project", assumedRole("studio-alice"), "alice");
    assertEquals(200, remote.status(), remote.body().toString());
    assertEquals("native", remote.body().get("path").asText());
    assertTrue(remote.body().get("remoteAccess").asBoolean());
    assertTrue(remote.body().get("running").asBoolean());
    assertEquals("alice", remote.body().get("owner").asText());
    assertFalse(remote.body().get("shared").asBoolean());

    Reply plain = describe("alice-plain", assumedRole("studio-alice"), "alice");
    assertEquals("ssm", plain.body().get("path").asText());
    assertFalse(plain.body().get("remoteAccess").asBoolean());
    Reply stopped = describe("alice-stopped", assumedRole("studio-alice"), "alice");
    assertEquals("native", stopped.body().get("path").asText());
    assertFalse(stopped.body().get("running").asBoolean());
    Reply shared = describe("team-remote", assumedRole("studio-alice"), "alice");
    assertTrue(shared.body().get("shared").asBoolean(), shared.body().toString());
    assertEquals(List.of(), world.studio.remoteSessions(), "describing starts nothing");
  }

  @Test
  void badRequestsAreA4xxNamingWhatToChangeAndStartNothing() {
    Reply badName = session("Not_A_Name");
    assertEquals(400, badName.status(), badName.body().toString());
    assertTrue(badName.message().contains("is not a space name"), badName.message());
    APIGatewayProxyRequestEvent withBody = sample("api-ssh-space-session.json");
    withBody.setBody("{\"space\": \"alice-project\"}");
    ApiCalls.header(withBody, "Content-Type", "application/json");
    Reply body = send(withBody);
    assertEquals(400, body.status(), body.body().toString());
    APIGatewayProxyRequestEvent withQuery = sample("api-ssh-space-session.json");
    withQuery.setQueryStringParameters(Map.of("force", "true"));
    Reply query = send(withQuery);
    assertEquals(400, query.status(), query.body().toString());
    assertTrue(query.message().contains("force"), query.message());
    Reply noUser = session("alice-project", assumedRole("studio-alice"), null);
    assertEquals(400, noUser.status(), noUser.body().toString());
    assertTrue(noUser.message().contains("X-Studio-User-Profile"), noUser.message());
    APIGatewayProxyRequestEvent noKey = sample("api-ssh-space-session.json");
    ApiCalls.header(noKey, "Idempotency-Key", null);
    Reply keyless = api.send(noKey);
    assertEquals(400, keyless.status(), keyless.body().toString());
    assertEquals(List.of(), world.studio.remoteSessions());
  }

  /** The new Studio's metadata names the space, not the user: the space's owner is claimed, and proved. */
  @Test
  void theNewStudiosSpaceClaimActsAsItsOwnerOnceProved() {
    APIGatewayProxyRequestEvent alices = ApiCalls.header(sample("api-ssh-space-session.json"), "X-Studio-User-Profile",
        null);
    ApiCalls.header(alices, "X-Studio-Space-Name", "alice-project");
    Reply reply = send(alices);
    assertEquals(201, reply.status(), reply.body().toString());

    APIGatewayProxyRequestEvent bobs = as(sample("api-ssh-space-session.json"), BOB, null);
    ApiCalls.header(bobs, "X-Studio-Domain-Id", DOMAIN);
    ApiCalls.header(bobs, "X-Studio-Space-Name", "alice-project");
    Reply refused = send(bobs);
    assertEquals(403, refused.status(), refused.body().toString());
    assertTrue(refused.message().contains("(the owner of space alice-project; in a space shared with you, say who "
        + "you are: sdocker --domain-id " + DOMAIN + " --user-profile <your profile>)"), refused.message());
    assertEquals(1, world.studio.remoteSessions().size(), "bob started nothing");
  }

  private static List<String> iterable(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}

package io.studiocp.functions.api;

import static io.studiocp.functions.api.ApiCalls.as;
import static io.studiocp.functions.api.ApiCalls.sample;
import static io.studiocp.testkit.AwsTestWorld.ADMIN_ROLE;
import static io.studiocp.testkit.AwsTestWorld.DOMAIN;
import static io.studiocp.testkit.AwsTestWorld.ERIN_LAPTOP;
import static io.studiocp.testkit.AwsTestWorld.assumedRole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.sagemaker.PresignedUrls.PresignedUrl;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.functions.api.ApiCalls.Reply;
import io.studiocp.platform.Env;
import io.studiocp.testkit.AwsTestWorld;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The /studio routes through their sample events, in front of the Studio stand-in (SageMaker as
 * botocore models it): URLs for the caller only, apps torn down but the default, spaces made and
 * deleted by their owners; every bad request a 4xx that changes nothing in Studio.
 */
@ExtendWith(MotoExtension.class)
class StudioRoutesTest {

  private static final String ALICE = assumedRole("studio-alice");
  private static final String BOB = assumedRole("studio-bob");
  private static final List<String> CHANGES = List.of("CreateSpace", "DeleteSpace", "DeleteApp", "CreateApp",
      "CreatePresignedDomainUrl", "AddTags");

  private final MotoServer moto;
  private AwsTestWorld world;
  private ApiCalls api;

  StudioRoutesTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void start() {
    world = AwsTestWorld.create(moto);
    StudioWorld studio = world.studio.world();
    Instant now = Instant.now();
    studio.addApp(new StudioWorld.App(DOMAIN, "alice", null, "JupyterServer", "default", "system",
        now.minus(Duration.ofHours(50)), "InService"));
    studio.addApp(new StudioWorld.App(DOMAIN, "alice", null, "KernelGateway", "gpu-kernel", "ml.g4dn.xlarge",
        now.minus(Duration.ofHours(10)), "InService"));
    studio.addApp(new StudioWorld.App(DOMAIN, "bob", null, "KernelGateway", "bobs-kernel", "ml.t3.medium",
        now.minus(Duration.ofHours(5)), "InService"));
    studio.addSpace(new StudioWorld.Space(DOMAIN, "bob-private", "bob", "Private", now));
    studio.addSpace(new StudioWorld.Space(DOMAIN, "team", "bob", "Shared", now));
    Map<String, String> env = new HashMap<>(world.env());
    env.put("STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:ProvisionHost");
    env.put("START_STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:StartHost");
    env.put("PRICE_OVERRIDES", "{\"hourlyUsd\": {\"ml.g4dn.xlarge\": 0.7364}}");
    api = new ApiCalls(new ApiHandler(Env.of(env)));
    world.studio.resetCalls();
  }

  @AfterEach
  void stop() {
    world.close();
  }

  /**
   * Sends the event as a client would: every POST and DELETE a request of its own, with a fresh
   * Idempotency-Key (the samples carry one; sent twice, it would be the same request).
   */
  private Reply send(APIGatewayProxyRequestEvent event) {
    if (List.of("POST", "DELETE").contains(event.getHttpMethod())) {
      ApiCalls.header(event, "Idempotency-Key", java.util.UUID.randomUUID().toString());
    }
    return api.send(event);
  }

  private long changes() {
    return world.studio.calls().entrySet().stream().filter(e -> CHANGES.contains(e.getKey()))
        .mapToLong(Map.Entry::getValue).sum();
  }

  private static APIGatewayProxyRequestEvent body(APIGatewayProxyRequestEvent event, String body) {
    event.setBody(body);
    return event;
  }

  private static APIGatewayProxyRequestEvent query(APIGatewayProxyRequestEvent event, Map<String, String> query) {
    event.setQueryStringParameters(query);
    return event;
  }

  private static APIGatewayProxyRequestEvent space(APIGatewayProxyRequestEvent event, String name) {
    event.setPathParameters(Map.of("name", name));
    event.setPath("/studio/spaces/" + name);
    return event;
  }

  private static List<String> names(JsonNode apps) {
    return StreamSupport.stream(apps.spliterator(), false).map(a -> a.get("appName").asText()).toList();
  }

  @Test
  void theSampleOpensANewSpaceForAliceOnly() {
    Reply reply = send(sample("api-open-studio.json"));

    assertEquals(200, reply.status(), reply.body().toString());
    assertTrue(reply.body().get("spaceCreated").asBoolean());
    PresignedUrl url = world.studio.presignedUrl(reply.body().get("url").asText());
    assertEquals("alice", url.userProfileName());
    assertEquals("alice-project", url.spaceName());
    assertEquals("app:JupyterLab:", url.landingUri());
    assertEquals(Duration.ofSeconds(60), Duration.between(url.issuedAt(), url.expiresAt()));
    var space = world.sagemaker.describeSpace(r -> r.domainId(DOMAIN).spaceName("alice-project"));
    assertEquals("alice", space.ownershipSettings().ownerUserProfileName());
    assertEquals("Private", space.spaceSharingSettings().sharingTypeAsString());
    assertEquals("JupyterLab", space.spaceSettings().appTypeAsString());

    Reply again = send(sample("api-open-studio.json"));
    assertEquals(200, again.status(), again.body().toString());
    assertFalse(again.body().get("spaceCreated").asBoolean(), "the second time the space is there");
  }

  @Test
  void aSharedSpaceOpensForAnyoneAPrivateOneOnlyForItsOwner() {
    Reply shared = send(body(sample("api-open-studio.json"), "{\"space\": \"team\"}"));
    assertEquals(200, shared.status(), shared.body().toString());
    assertEquals("team", world.studio.presignedUrl(shared.body().get("url").asText()).spaceName());

    Reply bobs = send(as(body(sample("api-open-studio.json"), "{\"space\": \"bob-private\"}"), BOB, "bob"));
    assertEquals(200, bobs.status(), bobs.body().toString());
  }

  @Test
  void aLaptopPrincipalTaggedOnAProfileActsAsItAnUntaggedOneIsRefused() {
    Reply erin = send(as(body(sample("api-open-studio.json"), "{}"), ERIN_LAPTOP, "erin"));
    assertEquals(200, erin.status(), erin.body().toString());
    assertEquals("erin", world.studio.presignedUrl(erin.body().get("url").asText()).userProfileName());

    Reply asAlice = send(as(body(sample("api-open-studio.json"), "{}"), ERIN_LAPTOP, "alice"));
    assertEquals(403, asAlice.status(), asAlice.body().toString());
    Reply stranger = send(as(body(sample("api-open-studio.json"), "{}"),
        "arn:aws:iam::123456789012:user/mallory", "erin"));
    assertEquals(403, stranger.status(), stranger.body().toString());
    assertTrue(stranger.message().contains("studiocp:principals"), stranger.message());
    assertEquals(1, changes(), "only erin's URL was made");
  }

  @Test
  void myAppsWithCostsAndDownKeepsTheDefaultAndNoOneElses() {
    Reply listed = send(sample("api-list-studio-apps.json"));
    assertEquals(200, listed.status(), listed.body().toString());
    assertEquals(List.of("default", "gpu-kernel"), names(listed.body().get("apps")));
    JsonNode gpu = listed.body().get("apps").get(1);
    assertEquals("ml.g4dn.xlarge", gpu.get("instanceType").asText());
    assertEquals(7.364, gpu.get("costUsd").asDouble(), 0.01);
    assertEquals(0.0, listed.body().get("apps").get(0).get("costUsd").asDouble());

    Reply dry = send(sample("api-studio-down.json"));
    assertEquals(200, dry.status(), dry.body().toString());
    assertEquals(List.of("gpu-kernel"), names(dry.body().get("deleted")));
    assertEquals(List.of("default"), names(dry.body().get("kept")));
    assertEquals(0, changes(), "a dry run deletes nothing");

    Reply down = send(query(sample("api-studio-down.json"), null));
    assertEquals(202, down.status(), down.body().toString());
    assertEquals(List.of("gpu-kernel"), names(down.body().get("deleted")));
    Map<String, String> status = new HashMap<>();
    world.studio.world().apps().forEach(a -> status.put(a.appName(), a.status()));
    assertEquals("InService", status.get("default"));
    assertEquals("InService", status.get("bobs-kernel"));
    assertTrue(List.of("Deleting", "Deleted").contains(status.get("gpu-kernel")), status.toString());

    Reply bobs = send(as(sample("api-list-studio-apps.json"), BOB, "bob"));
    assertEquals(List.of("bobs-kernel"), names(bobs.body().get("apps")));
  }

  @Test
  void adminsSeeEveryonesAppsUsersDoNot() {
    Reply admin = send(query(as(sample("api-list-studio-apps.json"), ADMIN_ROLE, null), Map.of("all", "true")));
    assertEquals(200, admin.status(), admin.body().toString());
    assertEquals(3, admin.body().get("apps").size());
    Reply alice = send(query(sample("api-list-studio-apps.json"), Map.of("all", "true")));
    assertEquals(403, alice.status(), alice.body().toString());
  }

  @Test
  void spacesAreCreatedListedAndDeletedByTheirOwners() {
    Reply created = send(sample("api-create-studio-space.json"));
    assertEquals(201, created.status(), created.body().toString());
    assertEquals("Shared", created.body().get("sharing").asText());
    assertEquals("alice", created.body().get("owner").asText());

    Reply listed = send(sample("api-list-studio-spaces.json"));
    List<String> names = new ArrayList<>();
    listed.body().get("spaces").forEach(s -> names.add(s.get("name").asText()));
    assertEquals(List.of("alice-shared", "team"), names, "bob's private space is not shown");

    Reply byBob = send(as(sample("api-delete-studio-space.json"), BOB, "bob"));
    assertEquals(404, byBob.status(), byBob.body().toString());

    Reply deleted = send(sample("api-delete-studio-space.json"));
    assertEquals(202, deleted.status(), deleted.body().toString());
    assertEquals("Deleting", deleted.body().get("status").asText());
    assertTrue(world.studio.world().space(DOMAIN, "alice-shared").map(s -> world.studio.world().status(s))
        .map(s -> s.equals("Deleting")).orElse(true));
  }

  @Test
  void aSpaceWithAnAppGoesAfterItsApp() {
    world.studio.world().lifecycle(new StudioWorld.Lifecycle(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(1)));
    world.studio.world().addSpace(new StudioWorld.Space(DOMAIN, "alice-lab", "alice", "Private", Instant.now()));
    world.studio.world().addApp(new StudioWorld.App(DOMAIN, null, "alice-lab", "JupyterLab", "default", "ml.t3.medium",
        Instant.now(), "InService"));

    Reply first = send(space(sample("api-delete-studio-space.json"), "alice-lab"));
    assertEquals(202, first.status(), first.body().toString());
    assertEquals("DeletingApps", first.body().get("status").asText());
    assertEquals("default", first.body().at("/appsGoing/0/appName").asText());
    Reply second = send(space(sample("api-delete-studio-space.json"), "alice-lab"));
    assertEquals("DeletingApps", second.body().get("status").asText());
    assertEquals(1, world.studio.calls().getOrDefault("DeleteApp", 0L), "a Deleting app is not deleted again");
  }

  /** A bad request, what it must get, and a word its message must carry. */
  private record Bad(String what, String sample, UnaryOperator<APIGatewayProxyRequestEvent> change, int status,
      String named) {}

  @Test
  void everyBadRequestIsA4xxNamingWhatToChangeAndChangesNothing() {
    List<Bad> bad = List.of(
        new Bad("a space name with an underscore", "api-open-studio.json", e -> body(e, "{\"space\": \"my_space\"}"), 400, "space"),
        new Bad("a space name too long", "api-open-studio.json", e -> body(e, "{\"space\": \"" + "a".repeat(64) + "\"}"), 400, "space"),
        new Bad("a space name of the wrong type", "api-open-studio.json", e -> body(e, "{\"space\": 7}"), 400, "space"),
        new Bad("another user's private space", "api-open-studio.json", e -> body(e, "{\"space\": \"bob-private\"}"), 404, "bob-private"),
        new Bad("an app Studio cannot open", "api-open-studio.json", e -> body(e, "{\"app\": \"rstudio\"}"), 400, "app"),
        new Bad("a session too short", "api-open-studio.json", e -> body(e, "{\"sessionExpirationSeconds\": 1799}"), 400, "sessionExpirationSeconds"),
        new Bad("a session too long", "api-open-studio.json", e -> body(e, "{\"sessionExpirationSeconds\": 43201}"), 400, "sessionExpirationSeconds"),
        new Bad("a URL that expires too soon", "api-open-studio.json", e -> body(e, "{\"expiresInSeconds\": 4}"), 400, "expiresInSeconds"),
        new Bad("a URL that expires too late", "api-open-studio.json", e -> body(e, "{\"expiresInSeconds\": 301}"), 400, "expiresInSeconds"),
        new Bad("seconds as a string", "api-open-studio.json", e -> body(e, "{\"expiresInSeconds\": \"60\"}"), 400, "expiresInSeconds"),
        new Bad("an unknown field", "api-open-studio.json", e -> body(e, "{\"spaceName\": \"x\"}"), 400, "spaceName"),
        new Bad("a body that is not an object", "api-open-studio.json", e -> body(e, "[]"), 400, "JSON object"),
        new Bad("a body that is not JSON", "api-open-studio.json", e -> body(e, "{space"), 400, "JSON"),
        new Bad("no Studio user", "api-open-studio.json", e -> as(e, ALICE, null), 400, "X-Studio-User-Profile"),
        new Bad("someone else's profile", "api-open-studio.json", e -> as(e, ALICE, "bob"), 403, "bob"),
        new Bad("an unknown query parameter", "api-list-studio-apps.json", e -> query(e, Map.of("mine", "true")), 400, "mine"),
        new Bad("all=yes", "api-list-studio-apps.json", e -> query(e, Map.of("all", "yes")), 400, "all"),
        new Bad("dryRun=maybe", "api-studio-down.json", e -> query(e, Map.of("dryRun", "maybe")), 400, "dryRun"),
        new Bad("keepDefault=no", "api-studio-down.json", e -> query(e, Map.of("keepDefault", "no")), 400, "keepDefault"),
        new Bad("keeping another user's app", "api-studio-down.json", e -> query(e, Map.of("keep", "bobs-kernel")), 400, "keep"),
        new Bad("a session space that is no space name", "api-studio-down.json", e -> query(e, Map.of("space", "my_space!")), 400, "space"),
        new Bad("a space without a name", "api-create-studio-space.json", e -> body(e, "{\"shared\": true}"), 400, "name"),
        new Bad("a space name with a space", "api-create-studio-space.json", e -> body(e, "{\"name\": \"my space\"}"), 400, "name"),
        new Bad("shared as a string", "api-create-studio-space.json", e -> body(e, "{\"name\": \"ok\", \"shared\": \"yes\"}"), 400, "shared"),
        new Bad("a taken space name", "api-create-studio-space.json", e -> body(e, "{\"name\": \"bob-private\"}"), 409, "bob-private"),
        new Bad("deleting another user's space", "api-delete-studio-space.json", e -> space(e, "bob-private"), 404, "bob-private"),
        new Bad("deleting a shared space of another", "api-delete-studio-space.json", e -> space(e, "team"), 404, "team"),
        new Bad("deleting a bad space name", "api-delete-studio-space.json", e -> space(e, "Bad_Name"), 400, "name"));
    List<String> wrong = new ArrayList<>();
    for (Bad b : bad) {
      Reply reply = send(b.change().apply(sample(b.sample())));
      if (reply.status() != b.status() || !reply.message().contains(b.named()) || reply.message().contains("Exception")) {
        wrong.add(b.what() + ": " + reply.status() + " " + reply.body());
      }
    }
    assertEquals(List.of(), wrong);
    assertEquals(0, changes(), "nothing changed in Studio: " + world.studio.calls());
    assertEquals(List.of("bob-private", "team"), world.studio.world().spaces(DOMAIN).stream()
        .map(StudioWorld.Space::name).sorted().toList());
  }
}

package io.studiocp.functions.admin;

import static io.studiocp.testkit.AwsTestWorld.DOMAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.admin.Change;
import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.testkit.AwsTestWorld;
import io.studiocp.testkit.RepositoryFiles;
import io.studiocp.testkit.TestClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The admin console through its console events (events/admin-*.json) against moto (EC2, SES,
 * Step Functions) and the Studio stand-in, over the sandbox seed's users, apps, spaces and prices.
 */
@ExtendWith(MotoExtension.class)
class AdminTest {

  private static final String HOST = "h-0123456789abcdef";
  private static final String FROM = "studio-police@example.com";
  private static final String ADMINS = "platform-team@example.com";

  private final MotoServer moto;
  private AwsTestWorld world;
  private SesV2Client ses;
  private TestClock clock;
  private final Map<String, String> settings = new HashMap<>();
  private final List<Change> audit = new ArrayList<>();
  private final List<String> callers = new ArrayList<>();
  private AdminHandler admin;
  private String instanceId;

  AdminTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void setUp() throws Exception {
    world = AwsTestWorld.create(moto);
    ses = world.clients().build(SesV2Client.builder(), "SESV2");
    ses.createEmailIdentity(r -> r.emailIdentity(FROM));
    ses.createEmailIdentity(r -> r.emailIdentity(ADMINS));
    clock = new TestClock(Instant.now());
    JsonNode seed = Json.mapper().readTree(RepositoryFiles.read("local/seed.json"));
    settings.putAll(world.env());
    settings.put("POLICE_FROM_ADDRESS", FROM);
    settings.put("POLICE_ADMIN_EMAILS", ADMINS);
    settings.put("POLICE_EMAIL_PATTERN", "{profile}@example.com");
    settings.put("SES_SANDBOX_MODE", "false");
    settings.put("POLICE_POLICY", seed.path("police").path("policy").toString());
    try (SfnClient sfn = world.sfn()) {
      String pass = "{\"StartAt\": \"Done\", \"States\": {\"Done\": {\"Type\": \"Pass\", \"End\": true}}}";
      String role = "arn:aws:iam::" + AwsTestWorld.ACCOUNT + ":role/studiocp-states";
      settings.put("STATE_MACHINE_ARN", sfn.createStateMachine(r -> r.name("ProvisionHost").definition(pass)
          .roleArn(role)).stateMachineArn());
      settings.put("START_STATE_MACHINE_ARN", sfn.createStateMachine(r -> r.name("StartHost").definition(pass)
          .roleArn(role)).stateMachineArn());
    }
    seedStudio(seed);
    instanceId = host("alice", Duration.ofMinutes(30), "container");
    admin = new AdminHandler(Env.of(settings), clock, (caller, change, at, context) -> {
      callers.add(caller);
      audit.add(change);
    });
  }

  @AfterEach
  void tearDown() {
    ses.close();
    world.close();
  }

  // ---- the estate: the sandbox seed's apps and spaces, and one Docker host ----------------------

  private StudioWorld studio() {
    return world.studio.world();
  }

  private void seedStudio(JsonNode seed) {
    JsonNode domain = seed.path("domains").get(0);
    for (JsonNode profile : domain.path("userProfiles")) {
      String name = profile.path("name").asText();
      if (studio().userProfile(DOMAIN, name).isEmpty()) {
        studio().addUserProfile(new StudioWorld.UserProfile(DOMAIN, name, profile.path("uid").asLong(),
            profile.path("executionRole").asText(), List.of(), null, List.of(), clock.instant()), Map.of());
      }
      for (JsonNode app : profile.path("apps")) {
        studio().addApp(new StudioWorld.App(DOMAIN, name, null, app.path("appType").asText(),
            app.path("appName").asText(), app.path("instanceType").asText("system"),
            clock.instant().minusSeconds(app.path("ageHours").asLong() * 3600), "InService"));
      }
    }
    for (JsonNode space : domain.path("spaces")) {
      studio().addSpace(new StudioWorld.Space(DOMAIN, space.path("name").asText(), space.path("owner").asText(),
          space.path("sharingType").asText(), clock.instant().minus(Duration.ofDays(3))));
      for (JsonNode app : space.path("apps")) {
        studio().addApp(new StudioWorld.App(DOMAIN, null, space.path("name").asText(), app.path("appType").asText(),
            app.path("appName").asText(), app.path("instanceType").asText(),
            clock.instant().minusSeconds(app.path("ageHours").asLong() * 3600), "InService"));
      }
    }
  }

  /** A READY host of the user's, ready {@code readyAgo} ago, whose last activity was then. */
  private String host(String profile, Duration readyAgo, String signal) {
    Instant ready = clock.instant().minus(readyAgo);
    return world.ec2.runInstances(r -> r.imageId("ami-0aae19d30bab785d3").instanceType("m5.large").minCount(1)
        .maxCount(1).subnetId(world.subnetIds.getFirst()).tagSpecifications(TagSpecification.builder()
            .resourceType(ResourceType.INSTANCE).tags(tag("studiocp:managed", "true"),
                tag("studiocp:host-id", HOST), tag("studiocp:owner", DOMAIN + "/" + profile),
                tag("studiocp:domain", DOMAIN), tag("studiocp:user-profile", profile), tag("studiocp:state", "READY"),
                tag("studiocp:ready-at", ready.toString()), tag("studiocp:created-at", ready.toString()),
                tag("studiocp:docker-port", "1111"), tag("studiocp:expires-at", clock.instant().plus(Duration.ofHours(6)).toString()),
                tag("studiocp:last-active", ready.plusSeconds(60) + " " + signal)).build()))
        .instances().getFirst().instanceId();
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  private Instance instance() {
    return world.ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().getFirst().instances().getFirst();
  }

  private Optional<String> hostTag(String key) {
    return instance().tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst();
  }

  private JsonNode invoke(String event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    admin.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new LocalContext("Admin"));
    return Json.mapper().readTree(out.toByteArray());
  }

  /** The console event as shipped, with changes to its fields. */
  private JsonNode invokeEvent(String action, Map<String, Object> changes) throws Exception {
    var event = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(
        RepositoryFiles.event("admin-" + action + ".json"));
    changes.forEach((k, v) -> {
      if (v == null) {
        event.remove(k);
      } else {
        event.set(k, Json.mapper().valueToTree(v));
      }
    });
    return invoke(event.toString());
  }

  private JsonNode invokeEvent(String action) throws Exception {
    return invokeEvent(action, Map.of());
  }

  private String appStatus(String profile, String space, String appName) {
    return studio().apps().stream().filter(a -> a.appName().equals(appName)
        && (profile == null || profile.equals(a.userProfileName())) && (space == null || space.equals(a.spaceName())))
        .map(StudioWorld.App::status).findFirst().orElseThrow();
  }

  private int mailSent() throws Exception {
    return Json.mapper().readTree(moto.stateJson()).path("ses").path("Message").size();
  }

  // ---- report ------------------------------------------------------------------------------------

  @Test
  void theReportsTotalsAreTheSeedsAppsAtTheSeedsPrices() throws Exception {
    JsonNode answer = invokeEvent("report");
    assertTrue(answer.fieldNames().next().equals("action") && answer.has("summary"), answer.toString());
    String summary = answer.path("summary").asText();
    assertTrue(summary.contains("7 apps") && summary.contains("1 hosts (1 running)"), summary);
    JsonNode report = answer.path("report");
    JsonNode families = report.path("totals").path("byInstanceFamily");
    // alice's ml.g4dn.xlarge for 30 h at 0.7364; bob's ml.t3.medium 48 h, carol-smith's 150 h and
    // alice-notebooks' 1 h at 0.05; bob's ml.m5.xlarge 26 h at 0.23, dave's ml.m5.large 3 h at 0.115;
    // team-space's ml.g5.xlarge 20 h at 1.408. JupyterServer apps have no instance: not counted.
    assertEquals(22.09, families.path("ml.g4dn").path("costSoFarUsd").asDouble(), 0.001);
    assertEquals(9.95, families.path("ml.t3").path("costSoFarUsd").asDouble(), 0.001);
    assertEquals(3, families.path("ml.t3").path("count").asInt());
    assertEquals(6.33, families.path("ml.m5").path("costSoFarUsd").asDouble(), 0.001);
    assertEquals(28.16, families.path("ml.g5").path("costSoFarUsd").asDouble(), 0.001);
    assertEquals(1, families.path("m5").path("count").asInt(), "the Docker host");
    assertEquals(7, report.path("totals").path("apps").asInt());
    assertEquals(66.53, report.path("totals").path("costSoFarUsd").asDouble(), 0.06, "plus the host's few minutes");
    JsonNode byUser = report.path("totals").path("byUser");
    assertEquals(8.38, byUser.path(DOMAIN + "/bob").path("costSoFarUsd").asDouble(), 0.001);
    assertEquals(28.16, byUser.path("(shared)").path("costSoFarUsd").asDouble(), 0.001);
    // Per day: team-space's GPU (33.79) outspends alice's (g4dn 17.67 + t3 1.2 + host 2.30).
    assertEquals("(shared)", report.path("topSpenders").get(0).path("owner").asText());
    assertEquals(DOMAIN + "/alice", report.path("topSpenders").get(1).path("owner").asText());
    JsonNode alice = user(report, "alice");
    assertEquals(HOST, alice.path("hosts").get(0).path("hostId").asText());
    assertEquals("READY", alice.path("hosts").get(0).path("state").asText());
    assertEquals("container", alice.path("hosts").get(0).path("lastActiveSignal").asText());
    assertEquals(6.0, alice.path("hosts").get(0).path("ttlHoursLeft").asDouble(), 0.01);
    assertEquals("alice-notebooks", alice.path("spaces").get(0).path("name").asText());
    assertEquals("team-space", report.path("shared").path("spaces").get(0).path("name").asText());
    assertEquals(List.of(), audit, "a report changes nothing and is not audited");
  }

  @Test
  void theReportShowsPoliceMarksHomeUsageAndFailuresOfTheLastDay() throws Exception {
    String carolsApp = studio().apps().stream().filter(a -> "carol-smith".equals(a.userProfileName())).findFirst()
        .map(studio()::appArn).orElseThrow();
    studio().tag(carolsApp, Map.of("studiocp:reminded-at", clock.instant().minusSeconds(3600).toString()));
    studio().tag(studio().userProfileArn(DOMAIN, "bob"), Map.of("studiocp:home-usage", "1610612736 "
        + clock.instant().minusSeconds(600)));
    world.ec2.runInstances(r -> r.imageId("ami-0aae19d30bab785d3").instanceType("g5.xlarge").minCount(1).maxCount(1)
        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(
            tag("studiocp:managed", "true"), tag("studiocp:host-id", "h-00000000000000ff"),
            tag("studiocp:owner", DOMAIN + "/dave"), tag("studiocp:domain", DOMAIN), tag("studiocp:state", "FAILED"),
            tag("studiocp:failure-reason", "bootstrap step dockerd failed: exit 1"),
            tag("studiocp:created-at", clock.instant().minusSeconds(7200).toString())).build()));
    JsonNode report = invokeEvent("report").path("report");
    assertTrue(user(report, "carol-smith").path("apps").get(0).path("policeMarks").has("reminded-at"), report.toString());
    assertEquals(1610612736L, user(report, "bob").path("homeUsage").path("bytes").asLong());
    assertEquals("bootstrap step dockerd failed: exit 1", report.path("failures").get(0).path("reason").asText());
    String summary = invokeEvent("report").path("summary").asText();
    assertTrue(summary.contains("1.5 GiB") && summary.contains("h-00000000000000ff"), summary);
  }

  @Test
  void theReportShowsTheWarmPoolsWaitingHostsAndItsMonthlyCost() throws Exception {
    settings.put("WARM_POOL", "{\"" + DOMAIN + "\": {\"sizes\": {\"m5.xlarge\": 1}, \"hours\": {\"zone\": \"UTC\", "
        + "\"days\": \"MON-FRI\", \"from\": \"08:00\", \"to\": \"19:00\"}}}");
    admin = new AdminHandler(Env.of(settings), clock, (caller, change, at, context) -> audit.add(change));
    String pooled = world.launchPooledHost(DOMAIN, "m5.xlarge", clock.instant());

    JsonNode answer = invokeEvent("report");

    JsonNode pool = answer.path("report").path("pools").get(0);
    assertEquals(DOMAIN, pool.path("domainId").asText(), answer.toString());
    JsonNode waiting = pool.path("waiting").get(0);
    assertEquals(pooled, waiting.path("instanceId").asText());
    assertEquals("m5.xlarge", waiting.path("instanceType").asText());
    assertEquals(0.192 + 100 * 0.08 / 730, waiting.path("hourlyUsd").asDouble(), 0.0001, "instance and volume");
    assertTrue(waiting.path("waitedHours").asDouble() < 1, waiting.toString());
    assertEquals(48.54, pool.path("monthlyUsd").asDouble(), 0.011, "239 h a month in business hours");
    assertEquals(1, pool.path("configured").get(0).path("size").asInt());
    for (JsonNode u : answer.path("report").path("users")) {
      u.path("hosts").forEach(h -> assertTrue(!pooled.equals(h.path("instanceId").asText()), "nobody's host: " + u));
    }
    String summary = answer.path("summary").asText();
    assertTrue(summary.contains("Warm pool") && summary.contains(pooled) && summary.contains("$48.54 a month"), summary);
  }

  private static JsonNode user(JsonNode report, String profile) {
    for (JsonNode u : report.path("users")) {
      if (u.path("userProfile").asText().equals(profile)) {
        return u;
      }
    }
    throw new AssertionError("no user " + profile + " in " + report);
  }

  // ---- explain -----------------------------------------------------------------------------------

  @Test
  void explainForAHostTheIdleRuleStoppedNamesTheRuleAndTheSignal() throws Exception {
    clock.advance(Duration.ofHours(3)); // ready 3.5 h ago, last used (a docker build... here a container) then
    JsonNode cleanup = invokeEvent("cleanup", Map.of("dryRun", false));
    assertTrue(cleanup.path("change").path("changes").toString().contains("stopped: idle"), cleanup.toString());
    assertEquals("STOPPED", hostTag("studiocp:state").orElseThrow());

    JsonNode explanation = invokeEvent("explain").path("explanation");
    assertEquals("STOPPED", explanation.path("state").asText());
    assertTrue(explanation.path("rule").asText().startsWith("IdleStopMinutes"), explanation.toString());
    assertEquals("container", explanation.path("lastActivitySignal").asText());
    String why = explanation.path("why").toString();
    assertTrue(why.contains("idle for 120 minutes") && why.contains("container at"), why);
  }

  @Test
  void explainForAReadyHostSaysWhenTheIdleRuleAndTheExpiryWouldStopIt() throws Exception {
    JsonNode explanation = invokeEvent("explain").path("explanation");
    assertEquals("READY", explanation.path("state").asText());
    assertEquals("IdleStopMinutes", explanation.path("rule").asText());
    Instant lastActive = clock.instant().minus(Duration.ofMinutes(29));
    assertEquals(lastActive.plus(Duration.ofMinutes(120)).toString(), explanation.path("stopAt").asText());
    assertTrue(explanation.path("why").toString().contains("expiry: at"), explanation.toString());
  }

  @Test
  void explainForAnAppNamesThePoliceRuleAndTheNextReminder() throws Exception {
    JsonNode explanation = invoke("{\"action\": \"explain\", \"domainId\": \"" + DOMAIN + "\", \"userProfile\": "
        + "\"carol-smith\", \"appType\": \"KernelGateway\", \"appName\": \"base-python-ml-t3-medium-2b7c\"}")
        .path("explanation");
    assertTrue(explanation.path("policeRule").asText().contains("ml.t3.*") || explanation.path("policeRule").asText()
        .contains("*"), explanation.toString());
    assertEquals("REMIND", explanation.path("policeAction").asText(), explanation.toString());
    assertEquals(7.5, explanation.path("costSoFarUsd").asDouble(), 0.001);
  }

  // ---- host actions ------------------------------------------------------------------------------

  @Test
  void stopHostDryRunChangesNothingAndTheRunStopsItWithAnAuditLine() throws Exception {
    JsonNode dry = invokeEvent("stop-host");
    assertTrue(dry.path("dryRun").asBoolean());
    assertTrue(dry.path("change").path("changes").toString().contains("stop " + instanceId), dry.toString());
    assertEquals("READY", hostTag("studiocp:state").orElseThrow());
    assertEquals("running", instance().state().nameAsString());

    JsonNode run = invokeEvent("stop-host", Map.of("dryRun", false));
    assertFalse(run.path("dryRun").asBoolean());
    assertEquals("STOPPED", hostTag("studiocp:state").orElseThrow());
    assertTrue(hostTag("studiocp:stop-reason").orElseThrow().startsWith("stopped by the admin console"));
    assertEquals(2, audit.size());
    assertTrue(audit.get(1).changes().contains("stop " + instanceId), audit.toString());
    assertTrue(callers.get(1).contains("request"), callers.toString());
  }

  @Test
  void startHostAfterAStop() throws Exception {
    invokeEvent("stop-host", Map.of("dryRun", false));
    JsonNode dry = invokeEvent("start-host");
    assertTrue(dry.path("change").path("changes").toString().contains("StartHost workflow"), dry.toString());
    assertEquals("STOPPED", hostTag("studiocp:state").orElseThrow());
    invokeEvent("start-host", Map.of("dryRun", false));
    assertEquals("STARTING", hostTag("studiocp:state").orElseThrow());
  }

  @Test
  void extendHostMovesTheExpiryOnlyWhenNotADryRun() throws Exception {
    String before = hostTag("studiocp:expires-at").orElseThrow();
    invokeEvent("extend-host");
    assertEquals(before, hostTag("studiocp:expires-at").orElseThrow());
    JsonNode run = invokeEvent("extend-host", Map.of("dryRun", false));
    assertEquals(clock.instant().plus(Duration.ofHours(8)).toString(), hostTag("studiocp:expires-at").orElseThrow());
    assertTrue(run.path("change").path("outcome").asText().contains("expiring at"), run.toString());
  }

  @Test
  void terminateHost() throws Exception {
    invokeEvent("terminate-host");
    assertEquals("running", instance().state().nameAsString());
    invokeEvent("terminate-host", Map.of("dryRun", false));
    assertTrue(List.of("shutting-down", "terminated").contains(instance().state().nameAsString()));
    assertEquals("TERMINATING", hostTag("studiocp:state").orElseThrow());
  }

  // ---- apps and spaces ---------------------------------------------------------------------------

  @Test
  void deleteAppAndDeleteSpaceApps() throws Exception {
    JsonNode dry = invokeEvent("delete-app");
    assertTrue(dry.path("change").path("changes").get(0).asText().contains("datascience-1-0-ml-t3-medium-9c2d"));
    assertEquals("InService", appStatus("bob", null, "datascience-1-0-ml-t3-medium-9c2d"));
    invokeEvent("delete-app", Map.of("dryRun", false));
    assertTrue(List.of("Deleting", "Deleted").contains(appStatus("bob", null, "datascience-1-0-ml-t3-medium-9c2d")));

    JsonNode spaceDry = invokeEvent("delete-space-apps");
    assertEquals(1, spaceDry.path("change").path("changes").size(), spaceDry.toString());
    assertEquals("InService", appStatus(null, "team-space", "default"));
    invokeEvent("delete-space-apps", Map.of("dryRun", false));
    assertTrue(List.of("Deleting", "Deleted").contains(appStatus(null, "team-space", "default")));
    assertEquals(4, audit.size());
  }

  // ---- police marks ------------------------------------------------------------------------------

  @Test
  void snoozeExemptAndUnexemptAreMarksThePoliceHonour() throws Exception {
    invokeEvent("snooze");
    invokeEvent("exempt");
    JsonNode plan = invokeEvent("police").path("report");
    assertEquals(0, plan.path("actions").path("SNOOZED").asInt(), "dry runs marked nothing: " + plan);
    assertEquals(0, plan.path("actions").path("EXEMPT").asInt());

    invokeEvent("snooze", Map.of("dryRun", false));
    invokeEvent("exempt", Map.of("dryRun", false));
    plan = invokeEvent("police").path("report");
    assertEquals(1, plan.path("actions").path("SNOOZED").asInt(), plan.toString());
    assertEquals(1, plan.path("actions").path("EXEMPT").asInt(), "the space's exemption covers its app: " + plan);
    String spaceArn = studio().spaceArn(DOMAIN, "team-space");
    assertEquals("shared GPU space for the weekly training run", studio().tagsOf(spaceArn).get("studiocp:exempt-reason"));

    invokeEvent("unexempt", Map.of("dryRun", false));
    assertEquals("false", studio().tagsOf(spaceArn).get("studiocp:exempt"));
    plan = invokeEvent("police").path("report");
    assertEquals(0, plan.path("actions").path("EXEMPT").asInt(), plan.toString());

    JsonNode hostSnooze = invoke("{\"action\": \"snooze\", \"hostId\": \"" + HOST + "\", \"until\": \"2030-01-31\"}");
    assertEquals("2030-01-31T00:00:00Z", hostTag("studiocp:snooze-until").orElseThrow(), hostSnooze.toString());
  }

  @Test
  void policeAndCleanupDryRunsReturnThePlanAndSendNothing() throws Exception {
    JsonNode police = invokeEvent("police");
    assertTrue(police.path("report").path("dryRun").asBoolean());
    assertTrue(police.path("report").path("longRunning").asInt() >= 4, police.toString());
    JsonNode cleanup = invokeEvent("cleanup");
    assertTrue(cleanup.path("report").path("dryRun").asBoolean());
    assertEquals(0, mailSent());
    assertEquals("READY", hostTag("studiocp:state").orElseThrow());
    assertEquals(2, audit.size(), "each run, even a dry one, is an audited request");
    assertTrue(audit.stream().allMatch(Change::dryRun));
  }

  // ---- refusals ----------------------------------------------------------------------------------

  @Test
  void badInputsAreRefusedNamingWhatToChangeAndChangeNothing() throws Exception {
    Map<String, String> refusals = new java.util.LinkedHashMap<>();
    refusals.put("{\"action\": \"reboot-everything\"}", "unknown action 'reboot-everything'");
    refusals.put("{\"action\": \"stop-host\", \"dryRun\": false}", "missing \"hostId\"");
    refusals.put("{\"action\": \"stop-host\", \"hostId\": \"i-0123\"}", "hostId 'i-0123' is not a host id");
    refusals.put("{\"action\": \"delete-app\", \"domainId\": \"d-other000001\", \"userProfile\": \"bob\", "
        + "\"appType\": \"KernelGateway\", \"appName\": \"datascience-1-0-ml-t3-medium-9c2d\"}",
        "domain d-other000001 is not managed");
    refusals.put("{\"action\": \"snooze\", \"hostId\": \"" + HOST + "\", \"until\": \"next tuesday\"}",
        "until 'next tuesday' is not a time");
    refusals.put("{\"action\": \"snooze\", \"hostId\": \"" + HOST + "\", \"until\": \"2001-01-01T00:00:00Z\"}",
        "must be in the future");
    refusals.put("{\"action\": \"exempt\", \"hostId\": \"" + HOST + "\"}", "missing \"reason\"");
    refusals.put("{\"action\": \"stop-host\", \"hostId\": \"" + HOST + "\", \"force\": true}", "unknown field 'force'");
    refusals.put("{\"action\": \"extend-host\", \"hostId\": \"" + HOST + "\", \"ttlHours\": \"8\"}", "ttlHours");
    refusals.put("{\"action\": \"extend-host\", \"hostId\": \"" + HOST + "\", \"ttlHours\": 900}", "ttlHours");
    refusals.put("{\"action\": \"stop-host\", \"hostId\": \"h-00000000000000aa\"}", "no host h-00000000000000aa");
    refusals.put("{\"action\": \"delete-space-apps\", \"domainId\": \"" + DOMAIN + "\", \"spaceName\": \"nope\"}",
        "no space nope");
    refusals.put("not json", "not JSON");
    for (Map.Entry<String, String> refusal : refusals.entrySet()) {
      AdminConsoleError error = assertThrows(AdminConsoleError.class, () -> invoke(refusal.getKey()), refusal.getKey());
      assertTrue(error.getMessage().contains(refusal.getValue()), refusal.getKey() + " -> " + error.getMessage());
      assertEquals(0, error.getStackTrace().length, "no stack trace reaches the console");
    }
    assertEquals(List.of(), audit);
    assertEquals("READY", hostTag("studiocp:state").orElseThrow());
    assertFalse(hostTag("studiocp:snooze-until").isPresent());
    assertEquals("InService", appStatus("bob", null, "datascience-1-0-ml-t3-medium-9c2d"));
    assertEquals(0, mailSent());
  }

  @Test
  void everyActionHasItsConsoleEvent() {
    for (String action : AdminEvent.ACTIONS.keySet()) {
      assertNotNull(RepositoryFiles.event("admin-" + action + ".json"), action);
    }
  }
}

package io.studiocp.functions.police;

import static io.studiocp.testkit.AwsTestWorld.ALICE;
import static io.studiocp.testkit.AwsTestWorld.DOMAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.emulators.http.AwsJsonError;
import io.studiocp.emulators.http.AwsJsonServer;
import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.platform.ConfigurationException;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.platform.PrimingHttpClient;
import io.studiocp.police.OwnerEmails;
import io.studiocp.police.PoliceTags;
import io.studiocp.studio.StudioUser;
import io.studiocp.studio.aws.SageMakerStudioDirectory;
import io.studiocp.testkit.AwsTestWorld;
import io.studiocp.testkit.RecordingProxy;
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
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** The police against moto (SES, EC2) and the Studio stand-in (SageMaker, tagging), over real HTTP. */
@ExtendWith(MotoExtension.class)
class PoliceTest {

  private static final String FROM = "police@example.com";
  private static final String ADMINS = "platform-team@example.com";
  private static final String PRICES = "\"hourlyPriceUsd\": {\"ml.g4dn.xlarge\": 0.75, \"m5.large\": 0.096}";

  /** A message moto kept. */
  record Mail(List<String> to, String subject, String body) {}

  private final MotoServer moto;
  private AwsTestWorld world;
  private SesV2Client ses;
  private TestClock clock;
  private final Map<String, String> settings = new HashMap<>();

  PoliceTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void setUp() {
    world = AwsTestWorld.create(moto);
    ses = world.clients().build(SesV2Client.builder(), "SESV2");
    ses.createEmailIdentity(r -> r.emailIdentity(FROM));
    ses.createEmailIdentity(r -> r.emailIdentity(ADMINS));
    clock = new TestClock(Instant.now());
    settings.putAll(world.env());
    settings.put("POLICE_FROM_ADDRESS", FROM);
    settings.put("POLICE_ADMIN_EMAILS", ADMINS);
    settings.put("SES_SANDBOX_MODE", "false");
    settings.put("POLICE_POLICY", "{" + PRICES + "}");
  }

  @AfterEach
  void tearDown() {
    ses.close();
    world.close();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private StudioWorld studio() {
    return world.studio.world();
  }

  private StudioWorld.App app(String profile, String type, double ageHours) {
    return studio().addApp(new StudioWorld.App(DOMAIN, profile, null, "KernelGateway",
        "kg-" + profile + "-" + type.replace('.', '-') + "-" + Math.round(ageHours), type,
        clock.instant().minusSeconds(Math.round(ageHours * 3600)), "InService"));
  }

  private StudioWorld.App spaceApp(String space, String type, double ageHours) {
    return studio().addApp(new StudioWorld.App(DOMAIN, null, space, "JupyterLab", "default", type,
        clock.instant().minusSeconds(Math.round(ageHours * 3600)), "InService"));
  }

  private String hostOf(String profile) {
    return world.ec2.runInstances(r -> r.imageId("ami-0aae19d30bab785d3").instanceType("m5.large").minCount(1)
        .maxCount(1).subnetId(world.subnetIds.getFirst()).tagSpecifications(TagSpecification.builder()
            .resourceType(ResourceType.INSTANCE).tags(tag("studiocp:managed", "true"),
                tag("studiocp:host-id", "h-0123456789abcdef"), tag("studiocp:owner", DOMAIN + "/" + profile),
                tag("studiocp:domain", DOMAIN), tag("studiocp:state", "READY")).build()))
        .instances().getFirst().instanceId();
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  private JsonNode run(boolean dryRun) throws Exception {
    return invoke(new PoliceHandler(Env.of(settings), clock), dryRun ? "{\"dryRun\": true}" : "{}");
  }

  private static JsonNode invoke(PoliceHandler handler, String event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
        new LocalContext("Police"));
    return Json.mapper().readTree(out.toByteArray());
  }

  private List<Mail> mail() throws Exception {
    JsonNode messages = Json.mapper().readTree(moto.stateJson()).path("ses").path("Message");
    List<Mail> sent = new ArrayList<>();
    for (JsonNode m : messages) {
      List<String> to = new ArrayList<>();
      m.path("destinations").path("ToAddresses").forEach(t -> to.add(t.asText()));
      sent.add(new Mail(to, m.path("subject").asText(), m.path("body").asText()));
    }
    return sent;
  }

  private List<Mail> mailTo(String address) throws Exception {
    return mail().stream().filter(m -> m.to().contains(address)).toList();
  }

  private static int count(JsonNode report, String action) {
    return report.path("actions").path(action).asInt(0);
  }

  // ---- tests ---------------------------------------------------------------------------------

  @Test
  void theAdminDigestShowsTheWarmPoolsWaitingHostsAndItsCostFromTheSameFleetRead() throws Exception {
    settings.put("WARM_POOL", "{\"" + DOMAIN + "\": {\"sizes\": {\"m5.xlarge\": 1}}}");
    String pooled = world.launchPooledHost(DOMAIN, "m5.xlarge", clock.instant());
    app("bob", "ml.m5.xlarge", 26);

    run(false);

    String digest = mailTo(ADMINS).getFirst().body();
    assertTrue(digest.contains("Warm pool") && digest.contains(pooled) && digest.contains("m5.xlarge x 1"), digest);
    assertTrue(digest.contains("$148.16 a month as configured"), "730 h x ($0.192 + 100 GiB x $0.08 / 730): " + digest);
    assertTrue(digest.contains("$0.2030 an hour"), digest);
    assertEquals(1, mailTo("bob@example.com").size(), "the pool host is nobody's: only bob is told");
  }

  @Test
  void eachOwnerGetsOneDigestWithWhatTheyNeed() throws Exception {
    StudioWorld.App gpu = app("alice", "ml.g4dn.xlarge", 30);
    app("alice", "ml.t3.medium", 48);                       // under the 5 days of ml.t3
    app("bob", "ml.m5.xlarge", 26);
    studio().addApp(new StudioWorld.App(DOMAIN, "alice", null, "JupyterServer", "default", "system",
        clock.instant().minus(Duration.ofDays(9)), "InService"));

    JsonNode report = run(false);

    assertEquals(2, report.get("longRunning").asInt(), report.toPrettyString());
    assertEquals(2, count(report, "REMIND"));
    List<Mail> alice = mailTo("alice@example.com");
    assertEquals(1, alice.size(), "one digest for alice, from her profile's email tag");
    String body = alice.getFirst().body();
    assertTrue(alice.getFirst().subject().contains("1 long-running resource needs your attention"), alice.getFirst().subject());
    assertTrue(body.contains(gpu.appName()), body);
    assertTrue(body.contains("ml.g4dn.xlarge"));
    assertTrue(body.contains("1 day 6 hours"), "how long it has run");
    assertTrue(body.contains("$22.50"), "the cost so far, from the policy's price");
    assertTrue(body.contains("aws sagemaker delete-app --domain-id " + DOMAIN + " --user-profile-name alice "
        + "--app-type KernelGateway --app-name " + gpu.appName()), "how to stop it");
    assertTrue(body.contains("studiocp:snooze-until"), "how to snooze it");
    assertFalse(body.contains("ml.t3.medium"), "a t3 app two days old is not long running");
    assertEquals(1, mailTo("bob@example.com").size(), "bob's address is his SSO user value");
    List<Mail> admins = mailTo(ADMINS);
    assertEquals(1, admins.size());
    assertTrue(admins.getFirst().body().contains("Totals: 2 long-running resources"), admins.getFirst().body());
    assertTrue(admins.getFirst().body().contains("d-sandbox0001/bob"));
    Map<String, String> marks = studio().tagsOf(studio().appArn(gpu));
    assertTrue(marks.containsKey(PoliceTags.REMINDED_AT) && marks.containsKey(PoliceTags.FIRST_REMINDED_AT),
        "the reminder is marked on the app: " + marks);
  }

  @Test
  void aSecondRunWithinTheIntervalSendsNothing() throws Exception {
    app("alice", "ml.g4dn.xlarge", 30);
    run(false);
    int sent = mail().size();

    clock.advance(Duration.ofHours(1));
    JsonNode second = run(false);
    assertEquals(sent, mail().size(), "an hourly schedule never spams");
    assertEquals(1, count(second, "WAIT"));

    clock.advance(Duration.ofHours(23));
    run(false);
    assertEquals(2, mailTo("alice@example.com").size(), "reminded again a full interval later");
  }

  @Test
  void exemptAndSnoozedResourcesAreLeftAlone() throws Exception {
    StudioWorld.App exempt = app("alice", "ml.m5.large", 50);
    StudioWorld.App snoozed = app("bob", "ml.m5.large", 50);
    studio().tag(studio().appArn(exempt), Map.of(PoliceTags.EXEMPT, "true"));
    studio().tag(studio().appArn(snoozed), Map.of(PoliceTags.SNOOZE_UNTIL, clock.instant().plus(Duration.ofDays(1)).toString()));
    settings.put("POLICE_POLICY", "{\"enforcement\": {\"enabled\": true}, \"graceHours\": 1, \"reminderIntervalHours\": 1}");
    studio().tag(studio().appArn(exempt), Map.of(PoliceTags.FIRST_REMINDED_AT, "2026-01-01T00:00:00Z",
        PoliceTags.FINAL_NOTICE_AT, "2026-01-02T00:00:00Z"));

    JsonNode report = run(false);

    assertEquals(1, count(report, "EXEMPT"));
    assertEquals(1, count(report, "SNOOZED"));
    assertEquals(List.of(), mail(), "nobody is told, and nothing happened worth a digest");
    assertEquals("InService", exempt.status(), "enforcement never touches an exempt app");
    assertEquals("InService", snoozed.status());
  }

  @Test
  void enforcementOnlyAfterTheGracePeriodAndTheFinalNotice() throws Exception {
    settings.put("POLICE_POLICY", "{" + PRICES + ", \"reminderIntervalHours\": 24, \"graceHours\": 48, "
        + "\"enforcement\": {\"enabled\": true, \"apps\": \"delete\", \"hosts\": \"stop\"}}");
    StudioWorld.App app = app("alice", "ml.m5.large", 30);
    String host = hostOf("alice");
    clock.advance(Duration.ofHours(30)); // the host, launched now in moto, is 30 hours old too

    JsonNode first = run(false);
    assertEquals(2, count(first, "REMIND"), first.toPrettyString());
    assertTrue(mailTo("alice@example.com").getFirst().body().contains("It will be stopped around"));
    assertEquals("InService", app.status());

    clock.advance(Duration.ofHours(24));
    JsonNode second = run(false);
    assertEquals(2, count(second, "FINAL_NOTICE"), second.toPrettyString());
    assertTrue(mailTo("alice@example.com").get(1).subject().startsWith("[Studio] Final notice"));
    assertEquals("InService", app.status(), "still running after the final notice");
    assertEquals("running", hostState(host));

    clock.advance(Duration.ofHours(24));
    JsonNode third = run(false);
    assertEquals(2, count(third, "STOP"), third.toPrettyString());
    assertEquals("Deleted", app.status(), "the app was deleted");
    assertTrue(List.of("stopping", "stopped").contains(hostState(host)), "the host was stopped");
    Mail told = mailTo("alice@example.com").get(2);
    assertTrue(told.subject().contains("were stopped"), told.subject());
    assertTrue(mailTo(ADMINS).getLast().body().contains("stop"), "the admins are told");
  }

  private String hostState(String instanceId) {
    return world.ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().getFirst().instances()
        .getFirst().state().nameAsString();
  }

  @Test
  void anUnverifiedRecipientIsAskedToVerifyAndTheRunGoesOn() throws Exception {
    settings.put("SES_SANDBOX_MODE", "true");
    app("alice", "ml.g4dn.xlarge", 30);
    app("bob", "ml.m5.xlarge", 30);
    ses.createEmailIdentity(r -> r.emailIdentity("bob@example.com"));

    JsonNode first = run(false);

    List<String> outcomes = new ArrayList<>();
    first.path("deliveries").forEach(d -> outcomes.add(d.path("to").get(0).asText() + " " + d.path("outcome").asText()));
    assertTrue(outcomes.contains("alice@example.com VERIFICATION_REQUESTED"), outcomes.toString());
    assertTrue(outcomes.contains("bob@example.com SENT"), outcomes.toString());
    assertEquals("SUCCESS", ses.getEmailIdentity(r -> r.emailIdentity("alice@example.com")).verificationStatusAsString(),
        "verification was requested (moto confirms at once)");
    assertTrue(mailTo(ADMINS).getFirst().body().contains("verification requested for alice@example.com"));
    assertEquals(List.of(), mailTo("alice@example.com"));

    clock.advance(Duration.ofHours(1));
    run(false);
    assertEquals(1, mailTo("alice@example.com").size(), "once verified, she gets her reminder");
  }

  @Test
  void aRejectedMessageDoesNotStopTheRun() throws Exception {
    settings.put("POLICE_FROM_ADDRESS", "unverified-sender@example.com");
    app("alice", "ml.g4dn.xlarge", 30);

    JsonNode report = run(false);

    assertEquals("REJECTED", report.path("deliveries").get(0).path("outcome").asText());
    assertTrue(report.path("deliveries").get(0).path("detail").asText().startsWith("MessageRejected"),
        report.path("deliveries").toString());
    assertTrue(report.path("failures").toString().contains("the admin digest was not delivered"));
    assertFalse(studio().tagsOf(report.path("items").get(0).path("id").asText()).containsKey(PoliceTags.REMINDED_AT),
        "not marked, so the next run tries again");
  }

  @Test
  void addressesComeFromTheTagThenSsoThenThePatternThenTheAdmins() {
    studio().addUserProfile(new StudioWorld.UserProfile(DOMAIN, "frank-jones", 200010, null, List.of(), null,
        List.of(), Instant.now()), Map.of());
    SageMakerStudioDirectory directory = SageMakerStudioDirectory.of(world.clients());
    OwnerEmails withPattern = new OwnerEmails("studiocp:email", Optional.of("{profile}@corp.example.com"),
        List.of(ADMINS), directory);
    OwnerEmails withoutPattern = new OwnerEmails("studiocp:email", Optional.empty(), List.of(ADMINS), directory);

    assertEquals(new OwnerEmails.Resolution(List.of("alice@example.com"), OwnerEmails.Source.TAG),
        withPattern.resolve(ALICE, Map.of("studiocp:email", "alice@example.com")));
    assertEquals(new OwnerEmails.Resolution(List.of("bob@example.com"), OwnerEmails.Source.SSO),
        withPattern.resolve(AwsTestWorld.BOB, Map.of("studiocp:email", "not an address")));
    StudioUser frank = new StudioUser(DOMAIN, "frank-jones");
    assertEquals(new OwnerEmails.Resolution(List.of("frank.jones@corp.example.com"), OwnerEmails.Source.PATTERN),
        withPattern.resolve(frank, Map.of()));
    assertEquals(new OwnerEmails.Resolution(List.of(ADMINS), OwnerEmails.Source.ADMINS),
        withoutPattern.resolve(frank, Map.of()));
  }

  @Test
  void spacesGoToTheirOwnerAndSharedSpacesToTheAdmins() throws Exception {
    studio().addSpace(new StudioWorld.Space(DOMAIN, "alice-notebooks", "alice", "Private", Instant.now()));
    studio().addSpace(new StudioWorld.Space(DOMAIN, "team-space", "alice", "Shared", Instant.now()));
    spaceApp("alice-notebooks", "ml.m5.large", 30);
    StudioWorld.App shared = spaceApp("team-space", "ml.g5.xlarge", 20);

    JsonNode report = run(false);

    assertEquals(2, report.get("longRunning").asInt());
    assertTrue(mailTo("alice@example.com").getFirst().body().contains("alice-notebooks"));
    assertFalse(mailTo("alice@example.com").getFirst().body().contains("team-space"));
    assertTrue(mailTo(ADMINS).getFirst().body().contains("shared space (admins)"));
    assertTrue(studio().tagsOf(studio().appArn(shared)).containsKey(PoliceTags.REMINDED_AT),
        "the admins' digest counts as the reminder of a shared space");
  }

  @Test
  void primingCallsNothingAndLeavesThePoliceWorking() throws Exception {
    app("alice", "ml.m5.large", 30);
    try (RecordingProxy.Recorded aws = RecordingProxy.inFrontOf(settings)) {
      PoliceHandler handler = new PoliceHandler(Env.of(aws.env()), clock);

      assertEquals(List.of(), handler.priming().prime(), "every priming call ran, answered locally");
      assertEquals(List.of(), aws.requests(), "priming sends nothing to AWS: no mail, no tag");
      assertEquals(List.of(), mail(), "no mail left");
      JsonNode report = invoke(handler, "{}");
      assertEquals(1, report.get("longRunning").asInt(), "the primed police run as before");
      assertTrue(aws.requests().stream().noneMatch(r -> r.headers().containsKey(PrimingHttpClient.HEADER)),
          "no request carries the priming mark");
    }
  }

  @Test
  void listsEveryPageOfALargeDomainWithOneSweepPerDomain() throws Exception {
    int longRunning = 0;
    for (int i = 0; i < 130; i++) {
      String name = "user-" + i;
      studio().addUserProfile(new StudioWorld.UserProfile(DOMAIN, name, 300000 + i, null, List.of(), null, List.of(),
          Instant.now()), Map.of("studiocp:email", name + "@example.com"));
      app(name, "ml.m5.large", i % 2 == 0 ? 30 : 13);
      app(name, "ml.t3.medium", 1);
      longRunning += i % 2 == 0 ? 1 : 0;
    }
    world.studio.resetCalls();

    JsonNode report = run(false);

    assertEquals(longRunning, report.get("longRunning").asInt());
    assertEquals(longRunning, mail().size() - 1, "one digest per owner, and the admins'");
    Map<String, Long> calls = world.studio.calls();
    assertEquals(2, calls.get("ListApps"), "260 apps, 130 older than the shortest threshold (12 h): two pages of "
        + "100, oldest first, none past the first young app, not a call per user: " + calls);
    assertEquals(3, calls.get("tagging:GetResources"), "the tags of 130 apps and 65 profiles, 100 ARNs a call: " + calls);
    assertEquals(null, calls.get("DescribeUserProfile"), "tagged addresses need no lookup: " + calls);
    assertEquals(4, calls.get("tagging:TagResources"), "65 reminders marked twenty at a time: " + calls);
  }

  @Test
  void throttlingSlowsTheRunButDoesNotChangeItsResult() throws Exception {
    for (int i = 0; i < 30; i++) {
      app("alice", "ml.m5.large", 30 + i);
    }
    JsonNode quiet = run(true);
    world.studio.throttle(0.3);
    world.studio.resetCalls();

    JsonNode throttled = run(true);

    assertEquals(quiet.get("items"), throttled.get("items"));
    assertTrue(world.studio.totalCalls() > 3, "throttled calls were retried: " + world.studio.calls());
  }

  @Test
  void aDryRunPlansEverythingAndChangesNothing() throws Exception {
    settings.put("SES_SANDBOX_MODE", "true");
    settings.put("POLICE_POLICY", "{\"enforcement\": {\"enabled\": true}, \"graceHours\": 1, \"reminderIntervalHours\": 1}");
    StudioWorld.App due = app("alice", "ml.m5.large", 50);
    studio().tag(studio().appArn(due), Map.of(PoliceTags.FIRST_REMINDED_AT, "2026-01-01T00:00:00Z",
        PoliceTags.FINAL_NOTICE_AT, "2026-01-02T00:00:00Z"));
    app("bob", "ml.m5.large", 50);
    Map<String, String> tagsBefore = studio().tagsOf(studio().appArn(due));

    JsonNode plan = invoke(new PoliceHandler(Env.of(settings), clock),
        RepositoryFiles.event("police-dry-run.json"));

    assertTrue(plan.get("dryRun").asBoolean());
    assertEquals(1, count(plan, "STOP"), "what would be stopped");
    assertEquals(1, count(plan, "REMIND"));
    plan.path("deliveries").forEach(d -> assertEquals("PLANNED", d.path("outcome").asText()));
    assertEquals(3, plan.path("deliveries").size(), "who would get what: alice, bob, the admins");
    assertEquals(List.of(), mail());
    assertEquals("InService", due.status());
    assertEquals(tagsBefore, studio().tagsOf(studio().appArn(due)));
    assertThrows(software.amazon.awssdk.services.sesv2.model.NotFoundException.class,
        () -> ses.getEmailIdentity(r -> r.emailIdentity("alice@example.com")), "no verification requested");
  }

  @Test
  void theScheduleEventRunsAndAnythingElseIsRefusedClearly() throws Exception {
    app("alice", "ml.g4dn.xlarge", 30);
    PoliceHandler handler = new PoliceHandler(Env.of(settings), clock);
    JsonNode report = invoke(handler, RepositoryFiles.event("police-schedule.json"));
    assertFalse(report.get("dryRun").asBoolean());
    assertEquals(1, report.get("longRunning").asInt());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> invoke(handler, "{\"dryrun\": true}"));
    assertTrue(e.getMessage().contains("unknown field 'dryrun'"), e.getMessage());
    assertEquals(0, e.getStackTrace().length, "the console shows the sentence, not a stack trace");
    IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class, () -> invoke(handler, "{dryRun"));
    assertTrue(notJson.getMessage().contains("not JSON") && notJson.getMessage().contains("{\"dryRun\": true}"),
        notJson.getMessage());
    assertEquals(0, notJson.getStackTrace().length);
  }

  @Test
  void aRunThatCannotReadStudioFailsInOneSentenceAndChangesNothing() throws Exception {
    app("alice", "ml.g4dn.xlarge", 30);
    try (AwsJsonServer denied = AwsJsonServer.start(0, "SageMaker", "1.1", (operation, input) -> {
      throw new AwsJsonError("AccessDeniedException", "not authorized to perform sagemaker:" + operation);
    })) {
      settings.put("AWS_ENDPOINT_URL_SAGEMAKER", denied.endpoint());
      PoliceHandler handler = new PoliceHandler(Env.of(settings), clock);
      RuntimeException e = assertThrows(RuntimeException.class, () -> invoke(handler, "{}"));
      assertTrue(e.getMessage().startsWith("the police run failed: ") && e.getMessage().contains("ListDomains")
          && e.getMessage().contains("request id"), e.getMessage());
      assertEquals(0, e.getStackTrace().length, "the stack trace goes to the log only");
    }
    assertEquals(List.of(), mail());
  }

  @Test
  void aMalformedPolicyFailsInitNamingTheParameter() {
    settings.put("POLICE_POLICY", "{\"longRunning\": [{\"match\": \"ml.*\", \"afterHours\": \"soon\"}]}");
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> new PoliceHandler(Env.of(settings), clock));
    assertTrue(e.getMessage().contains("PolicePolicy") && e.getMessage().contains("longRunning[0].afterHours"),
        e.getMessage());
    settings.put("POLICE_POLICY", "");
    settings.put("POLICE_ADMIN_EMAILS", "admins");
    ConfigurationException admins = assertThrows(ConfigurationException.class,
        () -> new PoliceHandler(Env.of(settings), clock));
    assertTrue(admins.getMessage().contains("PoliceAdminEmails"), admins.getMessage());
  }
}

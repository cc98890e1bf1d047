package io.studiocp.police;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.platform.ConfigurationException;
import io.studiocp.pricing.PriceList;
import io.studiocp.studio.StudioUser;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PolicePlannerTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final StudioUser ALICE = new StudioUser("d-abc", "alice");

  private static PolicedResource app(String type, Duration age, Map<String, String> tags) {
    return new PolicedResource(ResourceKind.APP, "arn:aws:sagemaker:us-east-1:1:app/d-abc/alice/kernelgateway/a",
        "a", "d-abc", Optional.of(ALICE), type, NOW.minus(age), tags,
        PolicedResource.Location.app("alice", null, "KernelGateway", "a"));
  }

  private static PolicePlanner planner(PolicePolicy policy) {
    return new PolicePlanner(policy, PriceList.shipped().withHourly(policy.hourlyPriceUsd()));
  }

  private static PoliceAction action(PolicePolicy policy, PolicedResource resource) {
    List<PlannedItem> items = planner(policy).plan(List.of(resource), NOW);
    return items.isEmpty() ? null : items.getFirst().action();
  }

  @ParameterizedTest(name = "{0} after {1} min: {2}")
  @CsvSource({
      "ml.t3.medium, 7199, false",  // 5 days is 7200 minutes
      "ml.t3.medium, 7200, true",
      "ml.m5.xlarge, 1439, false",  // anything else: a day
      "ml.m5.xlarge, 1440, true",
      "ml.g4dn.xlarge, 719, false", // GPU families: 12 hours
      "ml.g4dn.xlarge, 720, true",
      "ml.p3.2xlarge, 720, true",
      "g5.xlarge, 720, true",       // a Docker host's EC2 type
      "m5.large, 1439, false",
  })
  void theSeedsThresholdsAndTwelveHoursForGpus(String type, long minutes, boolean flagged) {
    assertEquals(flagged, action(PolicePolicy.defaults(), app(type, Duration.ofMinutes(minutes), Map.of())) != null);
  }

  @Test
  void aReminderAtMostOncePerInterval() {
    PolicePolicy policy = PolicePolicy.defaults();
    Duration day = Duration.ofDays(2);
    assertEquals(PoliceAction.REMIND, action(policy, app("ml.m5.large", day, Map.of())));
    assertEquals(PoliceAction.WAIT, action(policy, app("ml.m5.large", day,
        Map.of(PoliceTags.REMINDED_AT, NOW.minus(Duration.ofHours(23)).toString()))));
    assertEquals(PoliceAction.REMIND, action(policy, app("ml.m5.large", day,
        Map.of(PoliceTags.REMINDED_AT, NOW.minus(Duration.ofHours(24)).toString()))));
  }

  @Test
  void exemptAndSnoozedAreLeftAlone() {
    PolicePolicy enforcing = PolicePolicy.parse("{\"enforcement\": {\"enabled\": true}}");
    Map<String, String> overdue = Map.of(PoliceTags.FIRST_REMINDED_AT, "2026-01-01T00:00:00Z",
        PoliceTags.FINAL_NOTICE_AT, "2026-01-02T00:00:00Z");
    Map<String, String> exempt = new HashMap<>(overdue);
    exempt.put(PoliceTags.EXEMPT, "true");
    assertEquals(PoliceAction.EXEMPT, action(enforcing, app("ml.m5.large", Duration.ofDays(300), exempt)));
    Map<String, String> snoozed = new HashMap<>(overdue);
    snoozed.put(PoliceTags.SNOOZE_UNTIL, "2026-11-24");
    assertEquals(PoliceAction.SNOOZED, action(enforcing, app("ml.m5.large", Duration.ofDays(300), snoozed)));
    snoozed.put(PoliceTags.SNOOZE_UNTIL, "2026-11-23T11:59:00Z");
    assertEquals(PoliceAction.STOP, action(enforcing, app("ml.m5.large", Duration.ofDays(300), snoozed)),
        "a snooze that has passed protects nothing");
  }

  @Test
  void enforcementOnlyAfterGraceWithTheFinalNoticeFirst() {
    PolicePolicy policy = PolicePolicy.parse("{\"reminderIntervalHours\": 24, \"graceHours\": 72, "
        + "\"enforcement\": {\"enabled\": true}}");
    Duration old = Duration.ofDays(10);
    // never reminded: reminded now; the stop is announced for 72 hours later
    List<PlannedItem> first = planner(policy).plan(List.of(app("ml.m5.large", old, Map.of())), NOW);
    assertEquals(PoliceAction.REMIND, first.getFirst().action());
    assertEquals(Optional.of(NOW.plus(Duration.ofHours(72))), first.getFirst().stopAt());
    // first reminded 47 h ago, last 24 h ago: a plain reminder
    assertEquals(PoliceAction.REMIND, action(policy, app("ml.m5.large", old, Map.of(
        PoliceTags.FIRST_REMINDED_AT, NOW.minus(Duration.ofHours(47)).toString(),
        PoliceTags.REMINDED_AT, NOW.minus(Duration.ofHours(24)).toString()))));
    // 48 h after the first reminder, one interval before the stop: the final notice
    assertEquals(PoliceAction.FINAL_NOTICE, action(policy, app("ml.m5.large", old, Map.of(
        PoliceTags.FIRST_REMINDED_AT, NOW.minus(Duration.ofHours(48)).toString(),
        PoliceTags.REMINDED_AT, NOW.minus(Duration.ofHours(24)).toString()))));
    // the grace period is over but the final notice went out only 23 h ago: wait
    assertEquals(PoliceAction.WAIT, action(policy, app("ml.m5.large", old, Map.of(
        PoliceTags.FIRST_REMINDED_AT, NOW.minus(Duration.ofHours(100)).toString(),
        PoliceTags.FINAL_NOTICE_AT, NOW.minus(Duration.ofHours(23)).toString()))));
    // grace over and the final notice an interval ago: stop
    assertEquals(PoliceAction.STOP, action(policy, app("ml.m5.large", old, Map.of(
        PoliceTags.FIRST_REMINDED_AT, NOW.minus(Duration.ofHours(72)).toString(),
        PoliceTags.FINAL_NOTICE_AT, NOW.minus(Duration.ofHours(24)).toString()))));
  }

  @Test
  void withoutEnforcementNothingIsEverStopped() {
    assertEquals(PoliceAction.REMIND, action(PolicePolicy.defaults(), app("ml.m5.large", Duration.ofDays(100), Map.of(
        PoliceTags.FIRST_REMINDED_AT, "2026-01-01T00:00:00Z", PoliceTags.REMINDED_AT, "2026-11-01T00:00:00Z"))));
  }

  @Test
  void anEstimatedCostWhenThePolicyPricesTheType() {
    PolicePolicy policy = PolicePolicy.parse("{\"hourlyPriceUsd\": {\"ml.g4dn.xlarge\": 0.75}}");
    PlannedItem item = planner(policy).plan(List.of(app("ml.g4dn.xlarge", Duration.ofHours(30), Map.of())),
        NOW).getFirst();
    assertEquals(22.5, item.costSoFarUsd().orElseThrow(), 1e-9);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{|not JSON",
      "[]|must be a JSON object",
      "{\"longRunning\": []}|longRunning must be a non-empty list",
      "{\"longRunning\": [{\"match\": \"ml.t3.*\"}]}|longRunning[0].afterHours is required",
      "{\"longRunning\": [{\"match\": \"*\", \"afterHours\": 24}, {\"match\": \"ml t3\", \"afterHours\": 1}]}|longRunning[1].match",
      "{\"longRunning\": [{\"match\": \"*\", \"hours\": 24}]}|unknown key 'longRunning[0].hours'",
      "{\"graceHours\": -1}|graceHours must be a positive number",
      "{\"reminderIntervalHours\": \"daily\"}|reminderIntervalHours must be a positive number",
      "{\"hourlyPriceUsd\": {\"ml.t3.medium\": \"cheap\"}}|hourlyPriceUsd.ml.t3.medium",
      "{\"enforcement\": {\"hosts\": \"explode\"}}|enforcement.hosts must be one of [stop, terminate, none]",
      "{\"enforcement\": {\"enabled\": \"yes\"}}|enforcement.enabled must be true or false",
      "{\"reminders\": 1}|unknown key 'reminders'",
  })
  void aMalformedPolicyFailsInitNamingTheEntry(String document, String named) {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> PolicePolicy.parse(document));
    assertTrue(e.getMessage().startsWith("parameter PolicePolicy"), e.getMessage());
    assertTrue(e.getMessage().contains(named), e.getMessage());
  }
}

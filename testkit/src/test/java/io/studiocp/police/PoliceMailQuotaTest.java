package io.studiocp.police;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.pricing.PriceList;
import io.studiocp.studio.StudioUser;
import io.studiocp.testkit.fakes.InMemoryFleet;
import io.studiocp.testkit.fakes.InMemoryMailer;
import io.studiocp.testkit.fakes.InMemoryPoliceActions;
import io.studiocp.testkit.fakes.InMemoryStudioDirectory;
import io.studiocp.testkit.fakes.InMemoryStudioInventory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A police run whose mail runs into SES's daily quota: the run completes, the rest goes next run. */
class PoliceMailQuotaTest {

  private static final String DOMAIN = "d-abc";
  private static final String ADMINS = "admins@example.com";

  private final InMemoryFleet hosts = new InMemoryFleet(Instant.parse("2026-03-01T10:00:00Z"));
  private final InMemoryMailer mailer = new InMemoryMailer();
  private final InMemoryPoliceActions actions = new InMemoryPoliceActions();
  private final InMemoryStudioInventory studio = new InMemoryStudioInventory();
  private final MailRoom room = new MailRoom(mailer, Duration.ofMinutes(5), System::nanoTime, d -> { });

  private PoliceRun police() {
    return new PoliceRun(studio, hosts.fleet, new OwnerEmails("studiocp:email", Optional.empty(), List.of(ADMINS),
        new InMemoryStudioDirectory()), room, actions, PolicePolicy.parse(""), PriceList.shipped(),
        List.of(DOMAIN), List.of(ADMINS), hosts.clock);
  }

  @Test
  void whatTheDaysQuotaKeptBackIsNotMarkedAndGoesNextRun() {
    Instant now = hosts.clock.instant();
    for (int i = 0; i < 6; i++) {
      StudioUser owner = new StudioUser(DOMAIN, "user" + i);
      studio.profileTags(owner, Map.of("studiocp:email", "user" + i + "@example.com"));
      studio.app(new PolicedResource(ResourceKind.APP, "arn:app/" + i, "kg-" + i, DOMAIN, Optional.of(owner),
          "ml.m5.large", now.minus(Duration.ofHours(30)), Map.of(),
          PolicedResource.Location.app(owner.userProfileName(), null, "KernelGateway", "kg-" + i)));
    }
    mailer.quota(SendQuota.of(14, 200, 196));

    RunReport first = police().run(false);

    assertEquals(6, first.actions().get("REMIND"));
    List<Delivery> deferred = first.deliveries().stream().filter(d -> d.outcome() == Delivery.Outcome.DEFERRED).toList();
    assertEquals(3, deferred.size(), "4 left today: 3 owners and the admins' digest: " + first.deliveries());
    assertEquals(1, mailer.sentTo(ADMINS).size(), "the admins hear of it");
    String digest = mailer.sentTo(ADMINS).getFirst().text();
    assertTrue(digest.contains("3 messages were not sent this run"), digest);
    int marked = 0;
    for (int i = 0; i < 6; i++) {
      boolean told = !mailer.sentTo("user" + i + "@example.com").isEmpty();
      assertEquals(told, !actions.marksOf("arn:app/" + i).isEmpty(), "user" + i + " is marked only when told");
      marked += told ? 1 : 0;
    }
    assertEquals(3, marked);

    mailer.quota(SendQuota.of(14, 200, 0));
    police().run(false);
    for (int i = 0; i < 6; i++) {
      assertTrue(!mailer.sentTo("user" + i + "@example.com").isEmpty(), "user" + i + " told by the next run at the latest");
    }
  }
}

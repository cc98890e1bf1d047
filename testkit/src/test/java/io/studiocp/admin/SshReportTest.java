package io.studiocp.admin;

import static io.studiocp.testkit.AwsTestWorld.DOMAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.ssm.SsmWorld;
import io.studiocp.pricing.PriceList;
import io.studiocp.ssh.aws.SsmSshRegistry;
import io.studiocp.testkit.AwsTestWorld;
import io.studiocp.testkit.fakes.InMemoryFleet;
import io.studiocp.testkit.fakes.InMemoryStudioInventory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin report's SSH section over the SSM stand-in: every node, its owner, agent and advanced-tier cost. */
@ExtendWith(MotoExtension.class)
class SshReportTest {

  private final MotoServer moto;

  SshReportTest(MotoServer moto) {
    this.moto = moto;
  }

  @Test
  void theReportListsEachNodeWithItsAdvancedTierCostAndTheUnusedActivations() {
    try (AwsTestWorld world = AwsTestWorld.create(moto)) {
      SsmWorld ssm = world.ssmStandIn.world();
      Map<String, String> tags = Map.of("studiocp:managed", "true", "studiocp:owner", DOMAIN + "/alice",
          "studiocp:ssh-target", "space/alice-project");
      SsmWorld.Activation used = ssm.createActivation("sdocker ssh", "alice", "studiocp-ssh-node", 1,
          Instant.now().plusSeconds(600), tags);
      String node = ssm.register(used.activationId(), used.activationCode(), SsmWorld.Registration.linux("app",
          "127.0.0.1")).instanceId();
      ssm.disconnect(node, Instant.now());
      ssm.createActivation("sdocker ssh", "alice", "studiocp-ssh-node", 1, Instant.now().plusSeconds(600), tags);
      ssm.createActivation("someone else's", "x", "another-role", 1, Instant.now().plusSeconds(600), Map.of());
      Clock tenHoursLater = Clock.offset(Clock.systemUTC(), Duration.ofHours(10));
      AdminReports reports = new AdminReports(new InMemoryStudioInventory(), new InMemoryFleet(Instant.now()).fleet,
          PriceList.shipped(), List.of(DOMAIN), tenHoursLater,
          Optional.of(new SsmSshRegistry(world.ssm, "studiocp-ssh-node", AwsTestWorld.REGION)));

      AdminReport report = reports.report();

      AdminReport.Ssh ssh = report.ssh();
      assertEquals(0.00695, ssh.advancedTierHourlyUsd());
      assertEquals(1, ssh.targets().size(), ssh.toString());
      AdminReport.SshTarget target = ssh.targets().getFirst();
      assertEquals(node, target.id());
      assertEquals(DOMAIN + "/alice", target.owner());
      assertEquals("space/alice-project", target.target());
      assertEquals("ConnectionLost", target.pingStatus(), "offline nodes cost as much as online ones");
      assertEquals(10.0, target.registeredHours(), 0.01);
      assertEquals(0.0695, target.costSoFarUsd(), 0.0002);
      assertEquals(0.1668, ssh.costPerDayUsd(), 0.0001);
      assertEquals(1, ssh.activations().size(), "the unused one of the control plane's role: " + ssh.activations());
      String summary = ReportSummary.render(report);
      assertTrue(summary.contains("SSH targets (SSM advanced tier") && summary.contains(node), summary);
    }
  }
}

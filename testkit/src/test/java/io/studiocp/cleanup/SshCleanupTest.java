package io.studiocp.cleanup;

import static io.studiocp.testkit.Actors.studioUser;
import static io.studiocp.testkit.AwsTestWorld.DOMAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.emulators.ssm.SsmWorld;
import io.studiocp.police.MailRoom;
import io.studiocp.police.OwnerEmails;
import io.studiocp.sessions.aws.SageMakerStudioSessions;
import io.studiocp.ssh.SshAccess;
import io.studiocp.ssh.SshSettings;
import io.studiocp.ssh.SshTarget;
import io.studiocp.ssh.aws.SsmSshRegistry;
import io.studiocp.studio.StudioUser;
import io.studiocp.testkit.AwsTestWorld;
import io.studiocp.testkit.fakes.InMemoryFleet;
import io.studiocp.testkit.fakes.InMemoryMailer;
import io.studiocp.testkit.fakes.InMemoryStudioDirectory;
import io.studiocp.testkit.fakes.InMemoryStudioInventory;
import io.studiocp.testkit.fakes.NoManagedGroups;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cleanup's SSH side against the SSM stand-in (moto has no activations or managed nodes) and
 * the Studio stand-in, through the real SSM and SageMaker adapters: a registration whose space is
 * gone and one offline past SshOfflineMinutes are deregistered, a live one kept; an expired unused
 * activation deleted; a node registered without its activation's tags tagged; a dry run changes
 * nothing; only the admins hear of it.
 */
@ExtendWith(MotoExtension.class)
class SshCleanupTest {

  private static final String ROLE = "studiocp-ssh-node";
  private static final StudioUser ALICE = new StudioUser(DOMAIN, "alice");
  private static final StudioUser BOB = new StudioUser(DOMAIN, "bob");

  private final MotoServer moto;
  private AwsTestWorld world;
  private SsmWorld ssm;
  private StudioWorld studio;
  private SshAccess access;
  private InMemoryMailer mailer;
  private CleanupRun cleanup;

  SshCleanupTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void start() {
    world = AwsTestWorld.create(moto);
    ssm = world.ssmStandIn.world();
    studio = world.studio.world();
    Instant now = Instant.now();
    studio.addSpace(new StudioWorld.Space(DOMAIN, "alice-project", "alice", "Private", now));
    studio.addApp(new StudioWorld.App(DOMAIN, null, "alice-project", "JupyterLab", "default", "ml.t3.medium",
        now.minus(Duration.ofHours(1)), "InService"));
    studio.addApp(new StudioWorld.App(DOMAIN, "alice", null, "KernelGateway", "gpu-kernel", "ml.g4dn.xlarge",
        now.minus(Duration.ofHours(4)), "InService"));
    studio.addSpace(new StudioWorld.Space(DOMAIN, "bob-project", "bob", "Private", now));
    studio.addApp(new StudioWorld.App(DOMAIN, null, "bob-project", "CodeEditor", "default", "ml.t3.medium",
        now.minus(Duration.ofHours(1)), "InService"));
    SsmSshRegistry registry = new SsmSshRegistry(world.ssm, ROLE, AwsTestWorld.REGION);
    SageMakerStudioSessions sessions = new SageMakerStudioSessions(world.sagemaker);
    InMemoryFleet fleet = new InMemoryFleet(now);
    access = new SshAccess(registry, sessions, fleet.fleet, new SshSettings(ROLE, Duration.ofMinutes(30)),
        Clock.systemUTC());
    mailer = new InMemoryMailer();
    ManagedGroups noGroups = new NoManagedGroups();
    cleanup = new CleanupRun(fleet.fleet, fleet.workflow, noGroups, new InMemoryStudioInventory(),
        new OwnerEmails("studiocp:email", Optional.empty(), List.of("admins@example.com"),
            new InMemoryStudioDirectory()), new MailRoom(mailer),
        new CleanupSettings(Duration.ofMinutes(60), CleanupSettings.ExpiredAction.STOP, Duration.ofMinutes(120),
            Duration.ofMinutes(30), Duration.ofSeconds(900), Duration.ofMinutes(120)),
        List.of("admins@example.com"), Clock.systemUTC(),
        Optional.of(new SshHousekeeping(registry, sessions, List.of(DOMAIN))));
  }

  @AfterEach
  void stop() {
    world.close();
  }


  /** The user's agent registers with a fresh activation for the target: the node's id. */
  private String register(StudioUser user, SshTarget target) {
    SshAccess.Activation a = access.activate(studioUser(user), target);
    return world.ssmStandIn.register(a.activationId().orElseThrow(), a.activationCode().orElseThrow(), "app");
  }

  @Test
  void staleRegistrationsGoLiveOnesStayAndADryRunChangesNothing() {
    String live = register(ALICE, SshTarget.space("alice-project"));
    String spaceGone = register(BOB, SshTarget.space("bob-project"));
    studio.apps().stream().filter(a -> "bob-project".equals(a.spaceName())).forEach(a ->
        world.sagemaker.deleteApp(r -> r.domainId(DOMAIN).spaceName("bob-project").appType(a.appType())
            .appName(a.appName())));
    String offline = register(ALICE, SshTarget.app("gpu-kernel"));
    ssm.disconnect(offline, Instant.now().minus(Duration.ofHours(3)));
    String restarting = register(ALICE, SshTarget.app("gpu-kernel"));
    ssm.disconnect(restarting, Instant.now().minus(Duration.ofMinutes(10)));
    String expiredUnused = ssm.createActivation("sdocker ssh", "alice-space-alice-project", ROLE, 1,
        Instant.now().minusSeconds(60), Map.of("studiocp:managed", "true", "studiocp:owner", ALICE.owner(),
            "studiocp:ssh-target", "space/alice-project")).activationId();
    SsmWorld.Activation untaggedActivation = ssm.createActivation("sdocker ssh", "alice", ROLE, 1,
        Instant.now().plusSeconds(600), Map.of("studiocp:managed", "true", "studiocp:owner", ALICE.owner(),
            "studiocp:ssh-target", "space/alice-project"));
    String untagged = ssm.register(untaggedActivation.activationId(), untaggedActivation.activationCode(),
        SsmWorld.Registration.linux("app", "127.0.0.1")).instanceId();
    ssm.untag(untagged, List.of("studiocp:managed", "studiocp:owner", "studiocp:ssh-target"));
    String someoneElses = ssm.register(ssm.createActivation("not ours", "x", "another-role", 1,
        Instant.now().plusSeconds(600), Map.of()).activationId(), ssm.activations().getLast().activationCode(),
        SsmWorld.Registration.linux("vm", "10.0.0.9")).instanceId();
    int activations = ssm.activations().size();

    CleanupReport plan = cleanup.run(true);
    assertEquals(6, ssm.instances().size(), "a dry run deregisters nothing");
    assertEquals(activations, ssm.activations().size());
    assertFalse(ssm.instance(untagged).orElseThrow().tags().containsKey("studiocp:owner"));

    CleanupReport run = cleanup.run(false);
    assertEquals(plan.actions().stream().map(CleanupAction::resourceId).toList(),
        run.actions().stream().map(CleanupAction::resourceId).toList(), "the dry run planned what the run did");
    assertEquals(List.of(), run.failures());
    assertTrue(ssm.instance(live).isPresent(), "alice's running space keeps its node");
    assertTrue(ssm.instance(restarting).isPresent(), "offline for 10 minutes: kept");
    assertTrue(ssm.instance(someoneElses).isPresent(), "a node of another role is not the control plane's");
    assertFalse(ssm.instance(spaceGone).isPresent(), "bob's space runs no app any more");
    assertFalse(ssm.instance(offline).isPresent(), "offline for 3 hours");
    assertTrue(ssm.activation(expiredUnused).isEmpty(), "expired unused activation deleted");
    assertEquals(ALICE.owner(), ssm.instance(untagged).orElseThrow().tags().get("studiocp:owner"),
        "tagged as its activation");
    assertEquals("space/alice-project", ssm.instance(untagged).orElseThrow().tags().get("studiocp:ssh-target"));

    assertEquals(1, mailer.sent().size(), "the admins' digest only: " + mailer.sent());
    String digest = mailer.sent().getFirst().text();
    assertTrue(digest.contains("SSH target deregistered") && digest.contains(spaceGone) && digest.contains(offline),
        digest);

    CleanupReport again = cleanup.run(false);
    assertEquals(List.of(), again.actions().stream().filter(a -> a.kind() != CleanupAction.Kind.DELETE_SSH_ACTIVATION)
        .toList(), "a second run finds nothing left to do but activations now tagged");
  }
}

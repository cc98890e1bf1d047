package io.studiocp.identity;

import static io.studiocp.testkit.AwsTestWorld.ALICE;
import static io.studiocp.testkit.AwsTestWorld.ERIN;
import static io.studiocp.testkit.AwsTestWorld.assumedRole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.platform.Env;
import io.studiocp.platform.Rejection;
import io.studiocp.studio.aws.SageMakerStudioDirectory;
import io.studiocp.testkit.AwsTestWorld;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Who a request acts as (docs/threat-model.md, "Calling the API"), against the Studio stand-in. */
@ExtendWith(MotoExtension.class)
class ActorResolverTest {

  private final MotoServer moto;
  private AwsTestWorld world;

  ActorResolverTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void setUp() {
    world = AwsTestWorld.create(moto);
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  private ActorResolver resolver(boolean allowShared) {
    Map<String, String> env = new HashMap<>(world.env());
    env.put("ALLOW_SHARED_EXECUTION_ROLES", Boolean.toString(allowShared));
    SageMakerStudioDirectory directory = SageMakerStudioDirectory.of(world.clients());
    return new ActorResolver(IdentityPolicy.from(Env.of(env)), directory,
        new ExecutionRoleIndex(directory, Clock.systemUTC(), Duration.ofMinutes(5)));
  }

  private Actor resolve(ActorResolver resolver, String caller, String domain, String profile) {
    return resolver.resolve(caller, Optional.ofNullable(domain), Optional.ofNullable(profile));
  }

  private Actor resolveBySpace(String caller, String space) {
    return resolver(false).resolve(caller, Optional.of(AwsTestWorld.DOMAIN), Optional.empty(), Optional.of(space));
  }

  private void space(String name, String owner, String sharing) {
    world.studio.world().addSpace(new io.studiocp.emulators.sagemaker.StudioWorld.Space(AwsTestWorld.DOMAIN, name,
        owner, sharing, java.time.Instant.now()));
  }

  /** The new Studio's app metadata names its space, not its user: the space's owner is claimed, then proved. */
  @Test
  void aSpaceClaimsItsOwnerWhoMustStillBeProved() {
    space("alice-space", "alice", "Private");
    space("ownerless", null, "Shared");
    assertEquals(Optional.of(ALICE), resolveBySpace(assumedRole("studio-alice"), "alice-space").user());

    Rejection bobs = assertThrows(Rejection.class, () -> resolveBySpace(assumedRole("studio-bob"), "alice-space"));
    assertEquals(Rejection.Kind.FORBIDDEN, bobs.kind());
    assertTrue(bobs.getMessage().contains("may not act as user profile d-sandbox0001/alice (the owner of space "
        + "alice-space; in a space shared with you, say who you are: sdocker --domain-id d-sandbox0001 "
        + "--user-profile <your profile>)"), bobs.getMessage());
    for (String space : java.util.List.of("ownerless", "nowhere")) {
      Rejection e = assertThrows(Rejection.class, () -> resolveBySpace(assumedRole("studio-alice"), space));
      assertEquals(Rejection.Kind.INVALID, e.kind(), space);
      assertTrue(e.getMessage().startsWith("cannot tell who you are from space " + space), e.getMessage());
      assertTrue(e.getMessage().contains("--user-profile"), e.getMessage());
    }
    Rejection bad = assertThrows(Rejection.class, () -> resolveBySpace(assumedRole("studio-alice"), "no_such"));
    assertTrue(bad.getMessage().contains("X-Studio-Space-Name"), bad.getMessage());
    Rejection noDomain = assertThrows(Rejection.class, () -> resolver(false).resolve(assumedRole("studio-alice"),
        Optional.empty(), Optional.empty(), Optional.of("alice-space")));
    assertTrue(noDomain.getMessage().contains("X-Studio-Space-Name"), noDomain.getMessage());
    // A claimed profile wins over a claimed space.
    assertEquals(Optional.of(ALICE), resolver(false).resolve(assumedRole("studio-alice"),
        Optional.of(AwsTestWorld.DOMAIN), Optional.of("alice"), Optional.of("ownerless")).user());
  }

  @Test
  void aStudioUserIsTheProfileWhoseExecutionRoleSigned() {
    Actor actor = resolve(resolver(false), assumedRole("studio-alice"), AwsTestWorld.DOMAIN, "alice");
    assertEquals(Optional.of(ALICE), actor.user());
    assertFalse(actor.admin());
  }

  @Test
  void nobodyCanClaimAnotherUsersProfile() {
    Rejection e = assertThrows(Rejection.class,
        () -> resolve(resolver(false), assumedRole("studio-alice"), AwsTestWorld.DOMAIN, "bob"));
    assertEquals(Rejection.Kind.FORBIDDEN, e.kind());
    assertTrue(e.getMessage().contains("may not act as user profile d-sandbox0001/bob"), e.getMessage());
  }

  @Test
  void aSharedExecutionRoleProvesNothingUnlessTheAdminAllowsIt() {
    Rejection e = assertThrows(Rejection.class,
        () -> resolve(resolver(false), assumedRole("studio-shared"), AwsTestWorld.DOMAIN, "carol"));
    assertEquals(Rejection.Kind.FORBIDDEN, e.kind());
    assertTrue(e.getMessage().contains("shared with user profiles dave"), e.getMessage());
    assertTrue(e.getMessage().contains("AllowSharedExecutionRoles"), e.getMessage());
    assertTrue(resolve(resolver(true), assumedRole("studio-shared"), AwsTestWorld.DOMAIN, "carol").user().isPresent());
  }

  @Test
  void aLaptopPrincipalNamedInTheProfileTagActsAsTheProfile() {
    assertEquals(Optional.of(ERIN),
        resolve(resolver(false), AwsTestWorld.ERIN_LAPTOP, AwsTestWorld.DOMAIN, "erin").user());
    assertThrows(Rejection.class, () -> resolve(resolver(false), AwsTestWorld.ERIN_LAPTOP,
        AwsTestWorld.DOMAIN, "alice"));
  }

  @Test
  void adminsAreRecognisedWithOrWithoutAProfile() {
    Actor admin = resolve(resolver(false), assumedRole("platform-admin"), null, null);
    assertTrue(admin.admin());
    assertTrue(admin.user().isEmpty());
    assertTrue(admin.mayActOn(ALICE));
  }

  @Test
  void claimsAreCheckedBeforeAnythingIsLookedUp() {
    ActorResolver resolver = resolver(false);
    assertEquals(Rejection.Kind.INVALID, assertThrows(Rejection.class,
        () -> resolve(resolver, assumedRole("studio-alice"), AwsTestWorld.DOMAIN, null)).kind());
    assertEquals(Rejection.Kind.INVALID, assertThrows(Rejection.class,
        () -> resolve(resolver, assumedRole("studio-alice"), "nope", "alice")).kind());
    assertEquals(Rejection.Kind.FORBIDDEN, assertThrows(Rejection.class,
        () -> resolve(resolver, assumedRole("studio-alice"), "d-otherdomain", "alice")).kind());
    assertEquals(Rejection.Kind.FORBIDDEN, assertThrows(Rejection.class,
        () -> resolve(resolver, assumedRole("studio-alice"), AwsTestWorld.DOMAIN, "zed")).kind());
    assertEquals(Rejection.Kind.FORBIDDEN, assertThrows(Rejection.class,
        () -> resolve(resolver, "anonymous", null, null)).kind());
  }
}

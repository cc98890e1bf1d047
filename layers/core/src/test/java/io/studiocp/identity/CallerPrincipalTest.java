package io.studiocp.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CallerPrincipalTest {

  private static CallerPrincipal p(String arn) {
    return CallerPrincipal.parse(arn).orElseThrow();
  }

  @Test
  void aRoleArnNamesEverySessionOfTheRoleInItsAccount() {
    CallerPrincipal session = p("arn:aws:sts::123456789012:assumed-role/studio-alice/SageMaker");
    assertEquals(CallerPrincipal.Kind.ASSUMED_ROLE, session.kind());
    assertTrue(session.matches(p("arn:aws:iam::123456789012:role/service-role/studio-alice")));
    assertFalse(session.matches(p("arn:aws:iam::210987654321:role/studio-alice")), "other account");
    assertFalse(session.matches(p("arn:aws:iam::123456789012:role/studio-bob")));
    assertFalse(session.matches(p("arn:aws:sts::123456789012:assumed-role/studio-alice/other")));
  }

  @Test
  void usersMatchOnlyThemselves() {
    CallerPrincipal erin = p("arn:aws:iam::123456789012:user/erin");
    assertTrue(erin.matches(p("arn:aws:iam::123456789012:user/erin")));
    assertFalse(erin.matches(p("arn:aws:iam::123456789012:role/erin")));
  }

  @Test
  void aListRefusesWhatIsNotAPrincipal() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PrincipalList.parse("arn:aws:iam::123456789012:role/admin, admin@example.com"));
    assertTrue(e.getMessage().contains("admin@example.com"));
  }
}

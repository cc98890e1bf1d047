package io.studiocp.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxOptionsTest {

  @Test
  void helpIsAnAnswerNotAnError() {
    assertThrows(SandboxOptions.HelpRequested.class, () -> SandboxOptions.parse(List.of("--help")));
    assertThrows(SandboxOptions.HelpRequested.class, () -> SandboxOptions.parse(List.of("--no-hosts", "-h")));
  }

  @Test
  void withoutAPortTheSlotChoosesIt() {
    assertNull(SandboxOptions.parse(List.of()).apiPort());
    assertEquals(0, SandboxOptions.parse(List.of("--api-port", "0")).apiPort());
  }

  @Test
  void aBadValueNamesTheOption() {
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> SandboxOptions.parse(List.of("--api-port", "99999")));
    assertEquals("--api-port takes a number from 0 to 65535, got '99999'", bad.getMessage());
    assertEquals("unknown option '--bogus'",
        assertThrows(IllegalArgumentException.class, () -> SandboxOptions.parse(List.of("--bogus"))).getMessage());
  }
}

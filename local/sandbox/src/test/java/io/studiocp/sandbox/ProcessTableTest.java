package io.studiocp.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: what a sandbox's keeper finds, and how it ends them. */
class ProcessTableTest {

  @TempDir
  Path dir;

  /** A shell carrying the marker whose child drops it (as a container's processes carry nothing of ours). */
  private Process markedParentOfAnUnmarkedChild() throws IOException {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c",
        "env -u " + SandboxSlot.MARKER + " sleep 120 & echo $!; wait");
    builder.environment().put(SandboxSlot.MARKER, dir.toString());
    return builder.start();
  }

  @Test
  void aMarkedProcessIsFoundWithItsDescendantsAndStopped() throws Exception {
    Process shell = markedParentOfAnUnmarkedChild();
    long child = Long.parseLong(new BufferedReader(new InputStreamReader(shell.getInputStream())).readLine().strip());
    try {
      List<Long> found = ProcessTable.read().carrying(dir + "/", Set.of()).stream().map(ProcessTable.Proc::pid).toList();
      assertTrue(found.contains(shell.pid()), "the marked shell");
      assertTrue(found.contains(child), "its unmarked child, by descent");
      assertEquals(2, found.size(), "and nothing else: " + found);
      assertEquals(List.of(), ProcessTable.read().carrying(dir + "-other/", Set.of()), "another sandbox's marker");
      assertEquals(List.of(), ProcessTable.read().carrying(dir + "/", Set.of(shell.pid())).stream()
          .filter(p -> p.pid() == shell.pid()).toList(), "a spared process is left alone");

      ProcessTable.stop(ProcessTable.read().carrying(dir + "/", Set.of()), Duration.ofSeconds(5));
      assertTrue(shell.waitFor(10, TimeUnit.SECONDS));
      assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the child is gone too");
    } finally {
      ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
      shell.destroyForcibly();
    }
  }

  @Test
  void aProcessNamingADirectoryOnItsCommandLineIsFound() throws Exception {
    Files.writeString(dir.resolve("i-0123"), "console\n");
    Process sleeper = new ProcessBuilder("tail", "-f", dir.resolve("i-0123").toString()).start();
    try {
      List<ProcessTable.Proc> found = List.of();
      for (int tries = 0; tries < 100 && found.isEmpty(); tries++) { // until the launcher has exec'd sleep
        Thread.sleep(20);
        found = ProcessTable.read().naming(dir.resolve("i-0123").toString(), Set.of());
      }
      assertEquals(List.of(sleeper.pid()), found.stream().map(ProcessTable.Proc::pid).toList());
      assertEquals("tail", found.getFirst().name());
    } finally {
      sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aProcessThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
    Process stubborn = new ProcessBuilder("bash", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done",
        dir.toString()).start();
    try {
      new BufferedReader(new InputStreamReader(stubborn.getInputStream())).readLine();
      ProcessTable.stop(ProcessTable.read().naming(dir.toString(), Set.of()), Duration.ofMillis(300));
      assertTrue(stubborn.waitFor(10, TimeUnit.SECONDS));
      assertEquals(137, stubborn.exitValue(), "SIGKILLed");
    } finally {
      stubborn.destroyForcibly();
    }
  }
}

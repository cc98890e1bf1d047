package io.studiocp.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.platform.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sandbox's keeper: a small process of its own (its own session, so that a terminal's Ctrl-C
 * or a signal to the sandbox's process group does not reach it) that claims the sandbox's slot,
 * holds it, and, the moment the sandbox's process is gone — stopped, crashed or SIGKILLed — reaps
 * whatever of it still runs or is left, then gives the slot back.
 *
 * <p>It learns of the sandbox's end from its stdin: a pipe whose only writer is the sandbox, so
 * the kernel closes it when the sandbox exits, however it exits. {@code PR_SET_PDEATHSIG} would
 * not do: it reaches only direct children, fires when the spawning thread (not the process)
 * ends, and the dockerds are the bootstraps' children, handed to init once a bootstrap is done.
 */
final class Keeper implements AutoCloseable {

  private static final long HANDSHAKE_SECONDS = 180;
  private static final long REAP_SECONDS = 90;
  private static final int STOPPED = 'S';
  private static final int REAPED = 'R';

  private final Process process;
  private final SandboxSlot slot;
  private final AtomicBoolean closing = new AtomicBoolean();

  private Keeper(Process process, SandboxSlot slot) {
    this.process = process;
    this.slot = slot;
  }

  /**
   * Starts the keeper of this (the calling) sandbox, which claims a slot (reaping first what dead
   * sandboxes left, a line on stderr for each).
   *
   * @throws IllegalStateException naming why no slot was claimed
   */
  static Keeper start(Path base, Path stateDir) {
    List<String> command = List.of("setsid",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
        "-cp", System.getProperty("java.class.path"), Keeper.class.getName(),
        base.toString(), stateDir.toString(), Long.toString(ProcessHandle.current().pid()));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the sandbox's keeper (it needs setsid, from util-linux): "
          + e.getMessage(), e);
    }
    try {
      JsonNode answer = Json.mapper().readTree(firstLine(process));
      if (answer.has("error")) {
        throw new IllegalStateException(answer.path("error").asText());
      }
      return new Keeper(process, new SandboxSlot(answer.path("slot").asInt(), Path.of(answer.path("dir").asText())));
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e instanceof IllegalStateException ise ? ise
          : new IllegalStateException("the sandbox's keeper did not claim a slot: " + e.getMessage(), e);
    }
  }

  private static String firstLine(Process process) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String[] line = new String[1];
    Thread readerThread = Thread.ofVirtual().start(() -> {
      try {
        line[0] = reader.readLine();
      } catch (IOException e) {
        line[0] = null;
      }
    });
    try {
      if (!readerThread.join(java.time.Duration.ofSeconds(HANDSHAKE_SECONDS))) {
        throw new IllegalStateException("the sandbox's keeper claimed no slot within " + HANDSHAKE_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the keeper claimed a slot", e);
    }
    if (line[0] == null) {
      throw new IllegalStateException("the sandbox's keeper exited before it claimed a slot");
    }
    return line[0];
  }

  SandboxSlot slot() {
    return slot;
  }

  long pid() {
    return process.pid();
  }

  /** Runs {@code action} if the keeper dies while the sandbox runs (its slot would look free to others). */
  void onDeath(Runnable action) {
    process.onExit().thenRun(() -> {
      if (!closing.get()) {
        action.run();
      }
    });
  }

  /**
   * Tells the keeper the sandbox has stopped what it started; waits while it reaps what is left and
   * says so. The keeper then waits for this process to end and reaps once more (whatever a start
   * still under way spawned after the stop), and gives the slot back.
   */
  @Override
  public void close() {
    closing.set(true);
    try {
      OutputStream pipe = process.getOutputStream();
      pipe.write(STOPPED);
      pipe.flush();
    } catch (IOException e) {
      Sandbox.log("could not tell the keeper: " + e.getMessage());
      return;
    }
    InputStream answers = process.getInputStream();
    Thread reading = Thread.ofVirtual().start(() -> {
      try {
        answers.read();
      } catch (IOException e) {
        // the keeper is gone: nothing to wait for
      }
    });
    try {
      if (!reading.join(java.time.Duration.ofSeconds(REAP_SECONDS))) {
        Sandbox.log("the keeper (pid " + process.pid() + ") is still reaping; it ends on its own");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The keeper process: {@code Keeper BASE STATE_DIR SANDBOX_PID}. */
  public static void main(String[] args) {
    Path base = Path.of(args[0]);
    Path stateDir = Path.of(args[1]);
    long sandboxPid = Long.parseLong(args[2]);
    Slots slots = new Slots(base, Sandbox::log);
    Slots.Claim claim;
    try {
      claim = slots.claim(sandboxPid, stateDir);
    } catch (RuntimeException e) {
      System.out.println(Json.mapper().createObjectNode().put("error", e.getMessage()).toString());
      System.exit(1);
      return;
    }
    SandboxSlot slot = claim.slot();
    System.out.println(Json.mapper().createObjectNode().put("slot", slot.number()).put("dir", slot.dir().toString()));
    System.out.flush();
    boolean died = !stoppedCleanly(System.in);
    // The sandbox stopped its own things when it stopped cleanly; whatever is left is reaped now.
    Reaper.Report report = Reaper.reap(slot, Set.of(sandboxPid));
    if (died || !report.empty()) {
      Sandbox.log((died ? "the sandbox (pid " + sandboxPid + ") is gone; " : "") + "reaped what it left in "
          + slot.dir() + ": " + report);
    }
    if (!died) {
      // The sandbox goes on ending (a start under way may still spawn a process): answer, wait for its
      // end (the end of the pipe), and reap again.
      System.out.write(REAPED);
      System.out.flush();
      waitForEnd(System.in);
      Reaper.Report late = Reaper.reap(slot, Set.of());
      if (!late.empty()) {
        Sandbox.log("reaped what the sandbox (pid " + sandboxPid + ") started while it stopped: " + late);
      }
    }
    try {
      Files.deleteIfExists(slot.dir());
    } catch (IOException e) {
      // deleteTree already tried; the next claim of the slot reaps again
    }
    System.exit(0);
  }

  /**
   * Reads the pipe until the sandbox says it stopped ({@link #STOPPED}: true) or the pipe ends
   * because the sandbox is gone (false).
   */
  private static boolean stoppedCleanly(InputStream in) {
    try {
      for (int b = in.read(); b >= 0; b = in.read()) {
        if (b == STOPPED) {
          return true;
        }
      }
    } catch (IOException e) {
      // a broken pipe is an end too
    }
    return false;
  }

  /** Waits for the end of the pipe, which the kernel closes when the sandbox's process ends. */
  private static void waitForEnd(InputStream in) {
    try {
      while (in.read() >= 0) {
        // nothing more is said
      }
    } catch (IOException e) {
      // a broken pipe is an end too
    }
  }
}

package io.studiocp.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.platform.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The machine-wide register of sandbox slots, in one runtime directory: {@code slot-N.lock} is
 * locked by the keeper of the sandbox holding slot N for as long as anything of that sandbox may
 * run (the kernel releases it when the keeper dies, whatever kills it), and {@code N/sandbox.json}
 * says who holds it. Claiming takes {@code claims.lock} for a moment, so that two sandboxes
 * starting together never take the same slot or the same state directory, and reaps what every
 * dead holder left before the slot is used again.
 */
final class Slots {

  /** A slot held by this process until it exits. */
  record Claim(SandboxSlot slot, FileLock lock) { }

  private static final Duration CLAIM_WAIT = Duration.ofSeconds(120);

  private final Path base;
  private final Consumer<String> log;
  private final BiFunction<SandboxSlot, Set<Long>, Reaper.Report> reaper;
  private final Supplier<List<Route>> routes;

  Slots(Path base, Consumer<String> log) {
    this(base, log, Reaper::reap, Route::read);
  }

  /**
   * With another reaper and routing table: a test must not touch the machine-wide ranges a real
   * sandbox may be using, nor depend on the routes the sandboxes running beside it added.
   */
  Slots(Path base, Consumer<String> log, BiFunction<SandboxSlot, Set<Long>, Reaper.Report> reaper,
      Supplier<List<Route>> routes) {
    this.base = base;
    this.log = log;
    this.reaper = reaper;
    this.routes = routes;
  }

  /** Where this machine's sandboxes keep their slots: /run for root (gone at reboot, as are the processes). */
  static Path defaultBase() {
    Path run = Path.of("/run");
    if ("root".equals(System.getProperty("user.name")) && Files.isWritable(run)) {
      return run.resolve("studiocp");
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "studiocp-" + System.getProperty("user.name"));
  }

  SandboxSlot slot(int number) {
    return new SandboxSlot(number, base.resolve(Integer.toString(number)));
  }

  /**
   * Reaps what dead sandboxes left in free slots, then claims the lowest free slot for the
   * sandbox with this pid and state directory.
   *
   * @throws IllegalStateException when the state directory is a living sandbox's, or no slot is free
   */
  Claim claim(long sandboxPid, Path stateDir) {
    try {
      Files.createDirectories(base);
      try (FileChannel claims = FileChannel.open(base.resolve("claims.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE)) {
        lockWithin(claims, CLAIM_WAIT); // released when the channel closes
        Claim chosen = null;
        for (int n = 0; n < SandboxSlot.COUNT; n++) {
          SandboxSlot slot = slot(n);
          if (chosen != null && !Files.exists(slot.dir())) {
            continue; // neither used nor left behind
          }
          FileChannel channel = FileChannel.open(lockFile(n), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.tryLock();
          if (lock == null) {
            channel.close();
            record(slot).filter(r -> stateDir.toString().equals(r.path("stateDir").asText())).ifPresent(r -> {
              throw new IllegalStateException(stateDir + " is in use by the sandbox with pid "
                  + r.path("sandboxPid").asLong() + "; stop it first, or pass another --state-dir");
            });
            continue;
          }
          boolean usable = reapIfDead(slot) && routesClear(slot);
          if (usable && chosen == null) {
            chosen = new Claim(slot, lock);
          } else {
            lock.release();
            channel.close();
          }
        }
        if (chosen == null) {
          throw new IllegalStateException("all " + SandboxSlot.COUNT + " sandbox slots under " + base
              + " are in use; stop a sandbox first");
        }
        writeRecord(chosen.slot(), sandboxPid, stateDir);
        return chosen;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot claim a sandbox slot under " + base, e);
    }
  }

  private static FileLock lockWithin(FileChannel channel, Duration limit) throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("another sandbox has been claiming a slot for " + limit.toSeconds() + " s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while claiming a sandbox slot", e);
      }
    }
  }

  /**
   * A free slot's directory is what a dead sandbox left: reap it. Returns false when the slot must
   * not be used: its sandbox still runs (its keeper died, so the lock is free, but its dockerds are
   * alive and stop when it stops).
   */
  private boolean reapIfDead(SandboxSlot slot) {
    if (!Files.exists(slot.dir())) {
      return true;
    }
    Optional<JsonNode> record = record(slot);
    if (record.isPresent() && alive(record.get())) {
      log.accept("slot " + slot.number() + " skipped: its keeper is gone but the sandbox with pid "
          + record.get().path("sandboxPid").asLong() + " still runs");
      return false;
    }
    Reaper.Report report = reaper.apply(slot, Set.of());
    String who = record.map(r -> "the sandbox with pid " + r.path("sandboxPid").asLong() + " (state "
        + r.path("stateDir").asText() + ")").orElse("a sandbox");
    log.accept("reaped what " + who + " left in " + slot.dir() + ": " + report);
    return true;
  }

  private static boolean alive(JsonNode record) {
    return ProcessHandle.of(record.path("sandboxPid").asLong())
        .flatMap(p -> p.info().startInstant())
        .map(start -> start.toString().equals(record.path("sandboxStarted").asText()))
        .orElse(false);
  }

  /** A slot whose Docker networks would overlap a route of this machine (a VPN, a LAN) is not used. */
  private boolean routesClear(SandboxSlot slot) {
    for (Route route : routes.get()) {
      if (route.overlaps(slot.hostNetworks())) {
        log.accept("slot " + slot.number() + " skipped: its Docker networks " + slot.hostNetworks()
            + " overlap this machine's route to " + route + " on " + route.device());
        return false;
      }
    }
    return true;
  }

  Path lockFile(int number) {
    return base.resolve("slot-" + number + ".lock");
  }

  Optional<JsonNode> record(SandboxSlot slot) {
    Path file = slot.dir().resolve("sandbox.json");
    try {
      return Files.exists(file) ? Optional.of(Json.mapper().readTree(file.toFile())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void writeRecord(SandboxSlot slot, long sandboxPid, Path stateDir) throws IOException {
    Files.createDirectories(slot.dir());
    ObjectNode record = Json.mapper().createObjectNode();
    record.put("sandboxPid", sandboxPid);
    record.put("sandboxStarted", ProcessHandle.of(sandboxPid).flatMap(p -> p.info().startInstant())
        .map(Instant::toString).orElse(""));
    record.put("keeperPid", ProcessHandle.current().pid());
    record.put("stateDir", stateDir.toString());
    Files.writeString(slot.dir().resolve("sandbox.json"), record.toPrettyString());
  }

  /** One IPv4 route of the main table, from /proc/net/route. */
  record Route(String device, int destination, int mask) {

    static List<Route> read() {
      try {
        return Files.readAllLines(Path.of("/proc/net/route")).stream().skip(1)
            .map(line -> line.trim().split("\\s+"))
            .filter(f -> f.length >= 8)
            .map(f -> new Route(f[0], Integer.reverseBytes(Integer.parseUnsignedInt(f[1], 16)),
                Integer.reverseBytes(Integer.parseUnsignedInt(f[7], 16))))
            .filter(r -> r.mask() != 0) // the default route overlaps everything and means nothing here
            .toList();
      } catch (IOException e) {
        return List.of();
      }
    }

    boolean overlaps(String cidr) {
      String[] parts = cidr.split("/");
      int bits = Integer.parseInt(parts[1]);
      int other = bits == 0 ? 0 : -1 << (32 - bits);
      int common = mask & other;
      return (destination & common) == (Reaper.ipv4(parts[0]) & common);
    }

    @Override
    public String toString() {
      return ((destination >>> 24) & 255) + "." + ((destination >>> 16) & 255) + "." + ((destination >>> 8) & 255)
          + "." + (destination & 255) + "/" + Integer.bitCount(mask);
    }
  }
}

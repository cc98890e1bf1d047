package io.studiocp.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claims in a private register (a temporary directory), with a reaper that only records: the real
 * one acts on machine-wide ranges a running sandbox may hold. Another process holding a slot is
 * played by a Python process holding the slot's lock (POSIX locks, as Java's).
 */
class SlotsTest {

  @TempDir
  Path base;

  private final List<String> lines = new ArrayList<>();
  private final List<Integer> reaped = new ArrayList<>();
  private final List<Process> holders = new ArrayList<>();
  /** This test's routing table: the machine's holds the bridges of the sandboxes running beside it. */
  private final List<Slots.Route> routes = new ArrayList<>();

  private Slots slots() {
    return new Slots(base, lines::add, (slot, spared) -> {
      reaped.add(slot.number());
      Reaper.deleteTree(slot.dir());
      return new Reaper.Report(List.of("dockerd"), 0, List.of(), 1);
    }, () -> List.copyOf(routes));
  }

  @AfterEach
  void stopHolders() throws InterruptedException {
    for (Process holder : holders) {
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Another sandbox's keeper: holds slot n's lock, with a record naming its state directory. */
  private void heldByAnother(int n, String stateDir) throws IOException {
    Path dir = base.resolve(Integer.toString(n));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("sandbox.json"), "{\"sandboxPid\": 4242, \"stateDir\": \"" + stateDir + "\"}");
    Process holder = new ProcessBuilder("python3", "-c", "import fcntl, sys, time\n"
        + "f = open(sys.argv[1], 'a')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(120)\n",
        base.resolve("slot-" + n + ".lock").toString()).redirectErrorStream(true).start();
    holders.add(holder);
    assertEquals("held", new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine());
  }

  @Test
  void theFirstFreeSlotIsClaimedAndRecorded() throws IOException {
    long me = ProcessHandle.current().pid();
    Slots.Claim claim = slots().claim(me, Path.of("/work/state"));
    assertEquals(0, claim.slot().number());
    assertEquals(base.resolve("0"), claim.slot().dir());
    JsonNode record = slots().record(claim.slot()).orElseThrow();
    assertEquals(me, record.path("sandboxPid").asLong());
    assertEquals("/work/state", record.path("stateDir").asText());
    assertEquals(me, record.path("keeperPid").asLong());
    assertTrue(claim.lock().isValid());
    claim.lock().release();
  }

  @Test
  void aSlotHeldByAnotherSandboxIsPassedOver() throws IOException {
    heldByAnother(0, "/elsewhere");
    Slots.Claim claim = slots().claim(ProcessHandle.current().pid(), Path.of("/work/state"));
    assertEquals(1, claim.slot().number());
    assertEquals(List.of(), reaped, "a living sandbox is never reaped");
    claim.lock().release();
  }

  @Test
  void aStateDirectoryInUseByALivingSandboxIsRefused() throws IOException {
    heldByAnother(0, "/work/state");
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> slots().claim(ProcessHandle.current().pid(), Path.of("/work/state")));
    assertEquals("/work/state is in use by the sandbox with pid 4242; stop it first, or pass another --state-dir",
        refused.getMessage());
  }

  @Test
  void whatADeadSandboxLeftIsReapedBeforeItsSlotIsUsedAgain() throws IOException {
    Path left = base.resolve("0");
    Files.createDirectories(left.resolve("i-0123456789abcdef0"));
    // pid 1 is alive, but was not started when this record says: a pid reused since, not the sandbox.
    Files.writeString(left.resolve("sandbox.json"),
        "{\"sandboxPid\": 1, \"sandboxStarted\": \"2001-01-01T00:00:00Z\", \"stateDir\": \"/work/state\"}");
    Slots.Claim claim = slots().claim(ProcessHandle.current().pid(), Path.of("/work/state"));
    assertEquals(List.of(0), reaped);
    assertEquals(0, claim.slot().number());
    assertEquals(List.of("reaped what the sandbox with pid 1 (state /work/state) left in " + left
        + ": 1 process (dockerd), 1 instance disk"), lines);
    assertFalse(Files.exists(left.resolve("i-0123456789abcdef0")));
    claim.lock().release();
  }

  @Test
  void aSlotWhoseNetworksARouteOfTheMachineCoversIsPassedOver() throws IOException {
    Slots slots = slots();
    String zero = slots.slot(0).hostNetworks();
    String one = slots.slot(1).hostNetworks();
    routes.add(new Slots.Route("tun0", Reaper.ipv4(zero.substring(0, zero.indexOf('/'))),
        Reaper.ipv4("255.255.255.0")));
    assertFalse(routes.getFirst().overlaps(one), "the route covers slot 0's networks alone: " + zero + ", " + one);
    Slots.Claim claim = slots.claim(ProcessHandle.current().pid(), Path.of("/work/state"));
    assertEquals(1, claim.slot().number());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("slot 0 skipped: its Docker networks " + zero)), lines.toString());
    claim.lock().release();
  }

  @Test
  void routesAreReadAndComparedAsRanges() {
    Slots.Route lan = new Slots.Route("eth1", Reaper.ipv4("10.0.0.0"), Reaper.ipv4("255.0.0.0"));
    Slots.Route vpn = new Slots.Route("tun0", Reaper.ipv4("10.193.4.0"), Reaper.ipv4("255.255.255.0"));
    Slots.Route other = new Slots.Route("eth0", Reaper.ipv4("192.0.2.0"), Reaper.ipv4("255.255.255.0"));
    assertTrue(lan.overlaps("10.192.0.0/16"), "a wider route covers the slot's networks");
    assertTrue(vpn.overlaps("10.193.0.0/16"), "a narrower route inside them");
    assertFalse(vpn.overlaps("10.192.0.0/16"));
    assertFalse(other.overlaps("10.192.0.0/16"));
    assertEquals("10.193.4.0/24", vpn.toString());
    assertTrue(Slots.Route.read().stream().noneMatch(r -> r.mask() == 0), "the default route is no conflict");
  }
}

package io.studiocp.emulators.moto;

import io.studiocp.emulators.http.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A moto server (the AWS emulator) in its own process on a loopback port.
 *
 * <p>Started with {@link #start}, stopped with {@link #close}, which kills the process and
 * everything it started by PID. The server's log goes to a file so that a failed start can say why.
 */
public final class MotoServer implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final int port;
  private final Path log;

  private MotoServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts moto on a free loopback port, or fails with a message that says how to get moto. */
  public static MotoServer start() {
    return start(FreePort.find());
  }

  /**
   * moto's server, with one emulation gap closed: EC2 refuses a second security group of the same
   * name in a VPC atomically (the hosts' slots rely on it), while moto checks and then creates, so
   * two requests at once on its threaded server could both pass. Its check-and-create runs under a
   * lock here; nothing else is changed.
   */
  static final String ATOMIC_GROUPS_THEN_SERVE = String.join("\n",
      "import sys, threading",
      "from moto.ec2.models.security_groups import SecurityGroupBackend",
      "_lock, _create = threading.Lock(), SecurityGroupBackend.create_security_group",
      "def _atomic(self, *args, **kwargs):",
      "    with _lock:",
      "        return _create(self, *args, **kwargs)",
      "SecurityGroupBackend.create_security_group = _atomic",
      "from moto.server import main",
      "main(sys.argv[1:])");

  public static MotoServer start(int port) {
    return start(port, Map.of());
  }

  /** Starts moto on this port with these variables added to its environment (a sandbox marks its processes). */
  public static MotoServer start(int port, Map<String, String> environment) {
    String python = System.getenv().getOrDefault("STUDIOCP_PYTHON", "python3");
    requireMoto(python);
    try {
      Path log = Files.createTempFile("moto-" + port + "-", ".log");
      List<String> command = new ArrayList<>(List.of(
          python, "-c", ATOMIC_GROUPS_THEN_SERVE, "-H", "127.0.0.1", "-p", Integer.toString(port)));
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      MotoServer server = new MotoServer(process, port, log);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("could not start moto: " + e.getMessage(), e);
    }
  }

  private static void requireMoto(String python) {
    try {
      Process probe = new ProcessBuilder(python, "-c", "import moto.server, flask")
          .redirectErrorStream(true)
          .start();
      String output = new String(probe.getInputStream().readAllBytes());
      if (!probe.waitFor(60, TimeUnit.SECONDS) || probe.exitValue() != 0) {
        throw new IllegalStateException(missingMotoMessage(python) + "\n" + output.strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException(missingMotoMessage(python) + " (" + e.getMessage() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while looking for moto", e);
    }
  }

  private static String missingMotoMessage(String python) {
    return "moto's server is not importable by '" + python + "'. Install it with: "
        + "pip install \"moto[server]\" (or set STUDIOCP_PYTHON to a Python that has it).";
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ping = HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/"))
        .timeout(Duration.ofSeconds(2))
        .GET()
        .build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto exited at start (code " + process.exitValue() + "): "
            + tail());
      }
      try {
        if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("interrupted while waiting for moto", e);
      }
      sleep(100);
    }
    close();
    throw new IllegalStateException("moto did not answer within " + START_TIMEOUT.toSeconds()
        + " s on port " + port + ": " + tail());
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** Forgets every resource moto holds, so that the next test starts from nothing. */
  public void reset() {
    HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/reset"))
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
    try {
      HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new IllegalStateException("could not reset moto: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while resetting moto", e);
    }
  }

  /** moto's own dump of its state (sent mail lives there), as JSON text. */
  public String stateJson() {
    HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/data.json"))
        .timeout(Duration.ofSeconds(10))
        .GET()
        .build();
    try {
      return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new IllegalStateException("could not read moto's state: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading moto's state", e);
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a temp file left behind is harmless
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.studiocp.sandbox;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The image every sandbox host starts with, as an AMI can come with images preloaded: no registry
 * is reachable from the sandbox, so without it a Dockerfile's {@code FROM} has nothing to start
 * from. It is {@value #NAME}, built on this machine from its busybox-static (every applet linked
 * in /bin), imported once per sandbox into a Docker data root of its own, and copied into each
 * new instance's disk before its first boot. The production bootstrap knows nothing of it.
 */
final class BaseImage implements AutoCloseable {

  static final String NAME = "busybox:latest";

  private static final Duration BUILD_LIMIT = Duration.ofSeconds(120);
  private static final int PT_INTERP = 3;

  private final Path dir;
  private final Map<String, String> environment;
  private final CompletableFuture<Optional<Path>> template;

  /** Starts building the image in {@code dir}; the processes it starts carry {@code environment}. */
  BaseImage(Path dir, Map<String, String> environment) {
    this.dir = dir;
    this.environment = environment;
    this.template = CompletableFuture.supplyAsync(this::build, r -> Thread.ofVirtual().name("base-image").start(r));
  }

  /**
   * Puts the image into a new instance's Docker data root (before its dockerd first starts). If
   * the image could not be built, the host starts without it (the reason was logged once).
   */
  void installInto(Path dataRoot) {
    Optional<Path> data;
    try {
      data = template.get(BUILD_LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException | TimeoutException e) {
      return;
    }
    if (data.isEmpty() || Files.exists(dataRoot)) {
      return;
    }
    try {
      Files.createDirectories(dataRoot.getParent());
      run(List.of("cp", "-a", data.get().toString(), dataRoot.toString()), Duration.ofSeconds(60));
    } catch (IOException | IllegalStateException e) {
      Sandbox.log("could not put " + NAME + " on " + dataRoot + ": " + e.getMessage());
    }
  }

  /** Lets a build under way finish (it stops its own dockerd), so that a stop leaves nothing running. */
  @Override
  public void close() {
    try {
      template.get(BUILD_LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // the keeper reaps what a build left
    }
  }

  private Optional<Path> build() {
    try {
      Path busybox = staticBusybox();
      Path rootfs = dir.resolve("rootfs");
      Reaper.deleteTree(dir);
      Files.createDirectories(rootfs.resolve("bin"));
      Files.copy(busybox, rootfs.resolve("bin/busybox"));
      for (String applet : output(List.of(busybox.toString(), "--list")).lines().toList()) {
        Path link = rootfs.resolve("bin").resolve(applet);
        if (!applet.isBlank() && !applet.contains("/") && !Files.exists(link)) {
          Files.createSymbolicLink(link, Path.of("busybox"));
        }
      }
      Files.createDirectories(rootfs.resolve("etc"));
      Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n");
      Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
      for (String d : List.of("root", "home", "var", "tmp")) {
        Files.createDirectories(rootfs.resolve(d));
      }
      run(List.of("chmod", "1777", rootfs.resolve("tmp").toString()), Duration.ofSeconds(10));
      Path archive = dir.resolve("rootfs.tar");
      run(List.of("tar", "-C", rootfs.toString(), "-cf", archive.toString(), "."), Duration.ofSeconds(60));
      Path data = dir.resolve("data");
      importWithDockerd(archive, data);
      // Each instance's dockerd makes its own identity and network store.
      Files.deleteIfExists(data.resolve("engine-id"));
      Reaper.deleteTree(data.resolve("network"));
      Reaper.deleteTree(rootfs);
      Files.deleteIfExists(archive);
      return Optional.of(data);
    } catch (IOException | RuntimeException e) {
      Sandbox.log("hosts start without " + NAME + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private void importWithDockerd(Path archive, Path data) throws IOException {
    Path socket = dir.resolve("docker.sock");
    Path config = dir.resolve("daemon.json");
    Files.writeString(config, "{}\n");
    List<String> command = new ArrayList<>(List.of("dockerd", "-H", "unix://" + socket, "--data-root", data.toString(),
        "--exec-root", dir.resolve("exec").toString(), "--pidfile", dir.resolve("docker.pid").toString(),
        "--config-file", config.toString()));
    command.addAll(List.of(LocalHost.DOCKERD_ARGS.split(" ")));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("dockerd.log").toFile());
    builder.environment().putAll(environment);
    Process dockerd = builder.start();
    try {
      List<String> docker = List.of("docker", "-H", "unix://" + socket);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!answers(docker)) {
        if (!dockerd.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("its dockerd did not start (see " + dir.resolve("dockerd.log") + ")");
        }
        sleep(100);
      }
      List<String> importing = new ArrayList<>(docker);
      importing.addAll(List.of("import", "--change", "CMD [\"sh\"]", archive.toString(), NAME));
      run(importing, Duration.ofSeconds(60));
    } finally {
      ProcessTable.stop(List.of(new ProcessTable.Proc(dockerd.pid(), 0, "dockerd", "")), Duration.ofSeconds(15));
      Reaper.unmountUnder(dir);
    }
  }

  private static boolean answers(List<String> docker) {
    List<String> version = new ArrayList<>(docker);
    version.addAll(List.of("version", "--format", "{{.Server.Version}}"));
    try {
      run(version, Duration.ofSeconds(5));
      return true;
    } catch (IllegalStateException | IOException e) {
      return false;
    }
  }

  /** The machine's busybox, if it runs without a dynamic loader (an image has no libc to load). */
  private static Path staticBusybox() throws IOException {
    Path busybox = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .map(d -> Path.of(d, "busybox")).filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new IllegalStateException("busybox is not on the PATH (apt-get install busybox-static)"));
    if (dynamic(busybox.toRealPath())) {
      throw new IllegalStateException(busybox + " is dynamically linked (apt-get install busybox-static)");
    }
    return busybox.toRealPath();
  }

  /** Whether a 64-bit little-endian ELF file asks for an interpreter (a dynamic loader). */
  static boolean dynamic(Path file) throws IOException {
    try (RandomAccessFile elf = new RandomAccessFile(file.toFile(), "r")) {
      byte[] header = new byte[64];
      elf.readFully(header);
      ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
      if (h.getInt(0) != 0x464c457f || header[4] != 2 || header[5] != 1) {
        return false; // not an ELF64 LE file: nothing to tell, let docker say
      }
      long offset = h.getLong(0x20);
      int size = Short.toUnsignedInt(h.getShort(0x36));
      int count = Short.toUnsignedInt(h.getShort(0x38));
      byte[] entry = new byte[4];
      for (int i = 0; i < count; i++) {
        elf.seek(offset + (long) i * size);
        elf.readFully(entry);
        if (ByteBuffer.wrap(entry).order(ByteOrder.LITTLE_ENDIAN).getInt() == PT_INTERP) {
          return true;
        }
      }
      return false;
    }
  }

  private static String output(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(process.getInputStream().readAllBytes());
    waitFor(process, command, Duration.ofSeconds(30), text);
    return text;
  }

  private static void run(List<String> command, Duration limit) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(process.getInputStream().readAllBytes());
    waitFor(process, command, limit, text);
  }

  private static void waitFor(Process process, List<String> command, Duration limit, String text) {
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command.getFirst() + " took over " + limit.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(3, command.size())))
          + " failed: " + text.strip());
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

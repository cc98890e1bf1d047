package io.studiocp.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * This machine's processes as /proc shows them at one moment: who is whose parent, what each
 * runs, and the environment it started with. Processes a sandbox started are found by what they
 * carry (the sandbox's directory on their command line, or its marker in their environment) and
 * by descent, since a container's processes name neither, and a process whose parent died has
 * been handed to init.
 */
final class ProcessTable {

  record Proc(long pid, long parent, String name, String commandLine) { }

  private final Map<Long, Proc> processes;

  private ProcessTable(Map<Long, Proc> processes) {
    this.processes = processes;
  }

  static ProcessTable read() {
    Map<Long, Proc> processes = new LinkedHashMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), p -> isNumber(p.getFileName()))) {
      for (Path entry : entries) {
        read(entry).ifPresent(p -> processes.put(p.pid(), p));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
    }
    return new ProcessTable(processes);
  }

  private static boolean isNumber(Path name) {
    return name.toString().chars().allMatch(Character::isDigit);
  }

  private static Optional<Proc> read(Path dir) {
    try {
      String stat = Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1);
      // pid (name) state ppid ...: the name may hold spaces and parentheses, so split at the last ')'.
      int close = stat.lastIndexOf(')');
      String name = stat.substring(stat.indexOf('(') + 1, close);
      long parent = Long.parseLong(stat.substring(close + 2).split(" ")[1]);
      String commandLine = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ').strip();
      return Optional.of(new Proc(Long.parseLong(dir.getFileName().toString()), parent, name, commandLine));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // gone meanwhile, or a kernel thread without a readable stat
    }
  }

  /**
   * The processes that carry this sandbox directory (on their command line, or as the value of
   * {@link SandboxSlot#MARKER} in their environment), with all their descendants, except the
   * ones in {@code spared}.
   */
  List<Proc> carrying(String directory, Set<Long> spared) {
    String entry = SandboxSlot.MARKER + "=" + stripSlash(directory);
    return withDescendants(p -> p.commandLine().contains(directory) || environment(p.pid()).contains(entry), spared);
  }

  /** The processes whose command line names this path, with their descendants. */
  List<Proc> naming(String path, Set<Long> spared) {
    return withDescendants(p -> p.commandLine().contains(path), spared);
  }

  private List<Proc> withDescendants(Predicate<Proc> root, Set<Long> spared) {
    long self = ProcessHandle.current().pid();
    Map<Long, List<Proc>> children = new HashMap<>();
    processes.values().forEach(p -> children.computeIfAbsent(p.parent(), k -> new ArrayList<>()).add(p));
    Map<Long, Proc> found = new LinkedHashMap<>();
    List<Proc> pending = new ArrayList<>(processes.values().stream()
        .filter(p -> p.pid() != self && !spared.contains(p.pid()) && root.test(p)).toList());
    while (!pending.isEmpty()) {
      Proc p = pending.removeLast();
      if (p.pid() != self && !spared.contains(p.pid()) && found.putIfAbsent(p.pid(), p) == null) {
        pending.addAll(children.getOrDefault(p.pid(), List.of()));
      }
    }
    return List.copyOf(found.values());
  }

  private static List<String> environment(long pid) {
    try {
      return List.of(new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8)
          .split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String stripSlash(String directory) {
    return directory.endsWith("/") ? directory.substring(0, directory.length() - 1) : directory;
  }

  /**
   * Ends these processes: SIGTERM, up to {@code grace} to exit, then SIGKILL for the rest, and a
   * bounded wait for them to be gone.
   */
  static void stop(Collection<Proc> victims, Duration grace) {
    List<ProcessHandle> handles = victims.stream().map(p -> ProcessHandle.of(p.pid())).flatMap(Optional::stream)
        .toList();
    handles.forEach(ProcessHandle::destroy);
    awaitExit(handles, grace);
    handles.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    awaitExit(handles, Duration.ofSeconds(10));
  }

  private static void awaitExit(List<ProcessHandle> handles, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (handles.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

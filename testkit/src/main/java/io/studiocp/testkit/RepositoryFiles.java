package io.studiocp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's own files that tests read: sample events, the state machine, the template. */
public final class RepositoryFiles {

  private RepositoryFiles() {}

  /** The repository's root (surefire passes it; a run from the IDE falls back to the working directory). */
  public static Path root() {
    String root = System.getProperty("studiocp.root");
    Path path = root == null ? Path.of("").toAbsolutePath() : Path.of(root);
    while (path != null && !Files.exists(path.resolve("template.yaml"))) {
      path = path.getParent();
    }
    if (path == null) {
      throw new IllegalStateException("cannot find the repository root (template.yaml)");
    }
    return path;
  }

  /** A sample event from {@code events/}. */
  public static Path eventPath(String name) {
    return root().resolve("events").resolve(name);
  }

  /** A sample event's text. */
  public static String event(String name) {
    return read(eventPath(name));
  }

  /** A file's text, by its path from the root. */
  public static String read(String relativePath) {
    return read(root().resolve(relativePath));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.studiocp.ssh;

import java.util.Locale;
import java.util.Optional;

/**
 * What a user SSHes into: a Studio app of their profile (by its name), a space of theirs (its
 * running app), or one of their Docker hosts. Its tag value is {@code app/<name>},
 * {@code space/<name>} or {@code host/<hostId>}.
 */
public record SshTarget(Kind kind, String name) {

  public enum Kind {
    APP("app"), SPACE("space"), HOST("hostId");

    private final String field;

    Kind(String field) {
      this.field = field;
    }

    /** The field of {@code {"target": {...}}} that names it. */
    public String field() {
      return field;
    }

    String tagPrefix() {
      return this == HOST ? "host" : field;
    }
  }

  public static SshTarget app(String name) {
    return new SshTarget(Kind.APP, name);
  }

  public static SshTarget space(String name) {
    return new SshTarget(Kind.SPACE, name);
  }

  public static SshTarget host(String hostId) {
    return new SshTarget(Kind.HOST, hostId);
  }

  public String tagValue() {
    return kind.tagPrefix() + "/" + name;
  }

  /** The target a tag names; empty when it names none. */
  public static Optional<SshTarget> parse(String tag) {
    if (tag == null) {
      return Optional.empty();
    }
    int slash = tag.indexOf('/');
    if (slash <= 0 || slash == tag.length() - 1) {
      return Optional.empty();
    }
    String name = tag.substring(slash + 1);
    return switch (tag.substring(0, slash).toLowerCase(Locale.ROOT)) {
      case "app" -> Optional.of(app(name));
      case "space" -> Optional.of(space(name));
      case "host" -> Optional.of(host(name));
      default -> Optional.empty();
    };
  }

  @Override
  public String toString() {
    return tagValue();
  }
}

package io.studiocp.admin;

import io.studiocp.studio.StudioDirectory;
import io.studiocp.studio.UserProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures each user's home directory (seed 001's {@code status_all}): on the domain's EFS mounted
 * through an access point in AWS, the local home directories in the sandbox. Trash and caches the
 * user can rebuild are left out ({@link #EXCLUDED}); symbolic links are not followed. Each figure
 * is kept, with its time, as a tag on the user profile ({@link HomeUsage#TAG}), where the report
 * reads it with the tags it sweeps anyway.
 */
public final class HomeUsageJob {

  /** Paths under a home that are not counted: trash and caches. */
  public static final List<String> EXCLUDED = List.of(".cache", ".local/share/Trash", ".Trash-*", "lost+found",
      ".sagemaker/tmp");

  /** Where the usage is kept: tags on the user profiles, by their ARNs. */
  public interface UsageStore {
    void record(Map<String, HomeUsage> byProfileArn);
  }

  /** What one run measured. */
  public record Result(String at, List<Measured> measured, List<String> missing) {}

  public record Measured(String owner, String path, long bytes, String readable) {}

  private final StudioDirectory directory;
  private final UsageStore store;
  private final String pathPattern;
  private final List<String> domainIds;
  private final Clock clock;

  /**
   * @param pathPattern where a user's home is here: {@code {uid}} (its EFS uid, as the domain's
   *     EFS names homes) or {@code {userProfile}} is replaced, such as {@code /mnt/homes/{uid}}
   */
  public HomeUsageJob(StudioDirectory directory, UsageStore store, String pathPattern, List<String> domainIds,
      Clock clock) {
    this.directory = directory;
    this.store = store;
    this.pathPattern = pathPattern;
    this.domainIds = List.copyOf(domainIds);
    this.clock = clock;
  }

  public Result run() {
    Instant now = clock.instant();
    List<Measured> measured = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    Map<String, HomeUsage> usage = new LinkedHashMap<>();
    for (String domainId : domainIds) {
      for (UserProfile profile : directory.userProfiles(domainId)) {
        Path home = Path.of(pathPattern.replace("{uid}", Long.toString(profile.homeEfsUid()))
            .replace("{userProfile}", profile.user().userProfileName()));
        if (!Files.isDirectory(home)) {
          missing.add(profile.user() + " (no directory " + home + ")");
          continue;
        }
        long bytes = size(home);
        usage.put(profile.arn(), new HomeUsage(bytes, now));
        measured.add(new Measured(profile.user().owner(), home.toString(), bytes, HomeUsage.readable(bytes)));
      }
    }
    if (!usage.isEmpty()) {
      store.record(usage);
    }
    return new Result(now.toString(), measured, missing);
  }

  /** The bytes under {@code home}, without the excluded paths and without following links. */
  public static long size(Path home) {
    long[] total = {0};
    try {
      Files.walkFileTree(home, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          return !dir.equals(home) && excluded(home.relativize(dir)) ? FileVisitResult.SKIP_SUBTREE
              : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            total[0] += attrs.size();
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE; // unreadable or gone while walking: not counted
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("could not measure " + home, e);
    }
    return total[0];
  }

  static boolean excluded(Path relative) {
    String path = relative.toString().replace('\\', '/');
    for (String pattern : EXCLUDED) {
      if (pattern.endsWith("*") ? path.startsWith(pattern.substring(0, pattern.length() - 1)) && !path.contains("/")
          : path.equals(pattern)) {
        return true;
      }
    }
    return false;
  }
}

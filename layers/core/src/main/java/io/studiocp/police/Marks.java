package io.studiocp.police;

import io.studiocp.platform.Concurrently;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Records on each resource what its owner was told, while the rest of the mail still goes out:
 * apps told the same thing get the same tags, and as soon as a call's worth of them
 * ({@link PoliceActions#MARKS_PER_CALL}) is delivered, that call starts; the rest, and the hosts
 * (one EC2 call per set of tags), when the mail is done. As few calls as marking all at the end.
 */
final class Marks {

  /** Mark calls side by side. */
  private static final int WRITES_AT_ONCE = 4;

  private final PoliceActions actions;
  private final PolicedHosts hosts;
  private final String at;
  private final Semaphore permits = new Semaphore(WRITES_AT_ONCE);
  private final Map<Map<String, String>, List<PolicedResource>> pendingApps = new LinkedHashMap<>();
  private final Map<Map<String, String>, List<PolicedResource>> pendingHosts = new LinkedHashMap<>();
  private final List<CompletableFuture<Optional<String>>> started = new ArrayList<>();

  Marks(PoliceActions actions, PolicedHosts hosts, Instant now) {
    this.actions = actions;
    this.hosts = hosts;
    this.at = now.toString();
  }

  /** Items whose owner (or the admins) now has the message: marked soon, in full calls. */
  synchronized void delivered(List<PlannedItem> items) {
    for (PlannedItem item : items) {
      Optional<Map<String, String>> tags = tagsFor(item);
      if (tags.isEmpty()) {
        continue;
      }
      PolicedResource resource = item.resource();
      if (resource.kind() == ResourceKind.HOST) {
        pendingHosts.computeIfAbsent(tags.get(), k -> new ArrayList<>()).add(resource);
        continue;
      }
      List<PolicedResource> group = pendingApps.computeIfAbsent(tags.get(), k -> new ArrayList<>());
      group.add(resource);
      if (group.size() == PoliceActions.MARKS_PER_CALL) {
        pendingApps.remove(tags.get());
        start(group, tags.get(), false);
      }
    }
  }

  /** Marks what is left, waits for every mark, and answers what could not be recorded. */
  List<String> finish() {
    List<CompletableFuture<Optional<String>>> all;
    synchronized (this) {
      pendingApps.forEach((tags, apps) -> start(apps, tags, false));
      pendingHosts.forEach((tags, list) -> start(list, tags, true));
      pendingApps.clear();
      pendingHosts.clear();
      all = List.copyOf(started);
    }
    List<String> failures = new ArrayList<>();
    all.forEach(f -> Concurrently.join(f).ifPresent(failures::add));
    return failures;
  }

  private void start(List<PolicedResource> resources, Map<String, String> tags, boolean areHosts) {
    List<PolicedResource> batch = List.copyOf(resources);
    started.add(Concurrently.start(() -> {
      permits.acquire();
      try {
        if (areHosts) {
          hosts.mark(batch, tags);
        } else {
          actions.mark(batch, tags);
        }
        return Optional.<String>empty();
      } catch (RuntimeException e) {
        return Optional.of("could not record the reminder on " + batch.size() + " resource(s): " + e.getMessage()
            + "; their owners may be reminded again next run");
      } finally {
        permits.release();
      }
    }));
  }

  /** What a resource records of this run: when it was reminded, given its final notice, or stopped. */
  private Optional<Map<String, String>> tagsFor(PlannedItem item) {
    Map<String, String> tags = new TreeMap<>();
    switch (item.action()) {
      case REMIND -> {
        tags.put(PoliceTags.REMINDED_AT, at);
        if (item.resource().tag(PoliceTags.FIRST_REMINDED_AT).isEmpty()) {
          tags.put(PoliceTags.FIRST_REMINDED_AT, at);
        }
      }
      case FINAL_NOTICE -> {
        tags.put(PoliceTags.REMINDED_AT, at);
        tags.put(PoliceTags.FINAL_NOTICE_AT, at);
      }
      case STOP -> {
        if (item.resource().kind() != ResourceKind.HOST) {
          return Optional.empty(); // a deleted app has no tags any more
        }
        tags.put(PoliceTags.STOPPED_AT, at);
      }
      default -> {
        return Optional.empty();
      }
    }
    return Optional.of(tags);
  }
}

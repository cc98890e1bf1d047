package io.studiocp.bench;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each kind of call was answered during a run, from its start: the first and the last answer
 * and how many, per operation. It shows where a run's seconds go (what waits on what) without a
 * profiler: a sweep's pages end where the mail can start, the mail's last answer where the run ends.
 */
final class Timeline {

  private record Span(long count, long firstNanos, long lastNanos) {

    Span add(long at) {
      return new Span(count + 1, Math.min(firstNanos, at), Math.max(lastNanos, at));
    }
  }

  private final Map<String, Span> spans = new ConcurrentHashMap<>();
  private volatile long startNanos = System.nanoTime();

  void start() {
    spans.clear();
    startNanos = System.nanoTime();
  }

  /** An answer to {@code operation}, now. */
  void answered(String operation) {
    long at = System.nanoTime() - startNanos;
    spans.merge(operation, new Span(1, at, at), (old, one) -> old.add(at));
  }

  /** One line per operation, in order of its first answer: "  ListApps  121 calls  0.05 s .. 3.20 s". */
  String render() {
    Map<Long, String> ordered = new TreeMap<>();
    spans.forEach((op, s) -> ordered.put(s.firstNanos() * 1000 + Math.floorMod(op.hashCode(), 1000), String.format(
        Locale.ROOT, "    %-42s %5d calls, answered from %6.2f s to %6.2f s", op, s.count(), s.firstNanos() / 1e9,
        s.lastNanos() / 1e9)));
    return String.join("\n", ordered.values());
  }
}

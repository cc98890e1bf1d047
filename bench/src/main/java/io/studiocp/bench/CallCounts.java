package io.studiocp.bench;

import java.util.Map;
import java.util.TreeMap;

/** The Studio stand-in's call counts, split into SageMaker's and the tagging API's ("tagging:..."). */
final class CallCounts {

  private CallCounts() {}

  static long count(Map<String, Long> calls, boolean tagging) {
    return only(calls, tagging).values().stream().mapToLong(Long::longValue).sum();
  }

  static Map<String, Long> only(Map<String, Long> calls, boolean tagging) {
    Map<String, Long> selected = new TreeMap<>();
    calls.forEach((k, v) -> {
      if (k.startsWith("tagging:") == tagging) {
        selected.put(k, v);
      }
    });
    return selected;
  }

  /** The JIT flags this JVM runs with (the bench scripts pass the functions' own, as Lambda starts them). */
  static String jvmFlags() {
    String flags = String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
        .stream().filter(a -> a.startsWith("-XX:")).toList());
    return flags.isEmpty() ? "the JVM's defaults (C1 and C2)" : flags;
  }
}

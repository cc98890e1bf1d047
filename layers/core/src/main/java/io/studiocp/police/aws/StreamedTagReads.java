package io.studiocp.police.aws;

import io.studiocp.platform.Concurrently;
import io.studiocp.police.PolicedResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The tags of resources read while a sweep still finds more: a call as soon as a full batch of
 * ARNs is known (a few calls at once), the last, partial batch when the sweep ends; so a run waits
 * at most for its last call after the last page, and makes no more calls than reading them all
 * at the end would (one per full batch, and one for the rest).
 */
final class StreamedTagReads {

  /** A batch read: its resources with their tags, and the tags by ARN (lower case). */
  record Batch(List<PolicedResource> tagged, Map<String, Map<String, String>> tags) {}

  private final Function<List<String>, Map<String, Map<String, String>>> read;
  private final int batchSize;
  private final Semaphore permits;
  private final Consumer<Batch> onRead;
  private final List<PolicedResource> pending = new ArrayList<>();
  private final List<CompletableFuture<Batch>> started = new ArrayList<>();

  /**
   * @param read one call: the tags of at most {@code batchSize} ARNs, keyed by ARN in lower case
   * @param onRead told of each batch once read (on the thread that read it)
   */
  StreamedTagReads(Function<List<String>, Map<String, Map<String, String>>> read, int batchSize, int atOnce,
      Consumer<Batch> onRead) {
    this.read = read;
    this.batchSize = batchSize;
    this.permits = new Semaphore(atOnce);
    this.onRead = onRead;
  }

  /** A resource whose tags are wanted; a full batch is read at once, side by side with the sweep. */
  synchronized void add(PolicedResource resource) {
    pending.add(resource);
    if (pending.size() == batchSize) {
      startBatch();
    }
  }

  /** Reads the rest, waits for every batch, and answers every tag read, by ARN (lower case). */
  Map<String, Map<String, String>> finish() {
    List<CompletableFuture<Batch>> all;
    synchronized (this) {
      if (!pending.isEmpty()) {
        startBatch();
      }
      all = List.copyOf(started);
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    Map<String, Map<String, String>> tags = new HashMap<>();
    all.forEach(f -> tags.putAll(Concurrently.join(f).tags()));
    return tags;
  }

  private void startBatch() {
    List<PolicedResource> batch = List.copyOf(pending);
    pending.clear();
    started.add(Concurrently.start(() -> {
      permits.acquire();
      try {
        Map<String, Map<String, String>> tags = read.apply(batch.stream().map(PolicedResource::id).distinct().toList());
        Batch done = new Batch(batch.stream()
            .map(r -> r.withTags(tags.getOrDefault(SageMakerStudioInventory.key(r.id()), Map.of()))).toList(), tags);
        onRead.accept(done);
        return done;
      } finally {
        permits.release();
      }
    }));
  }
}

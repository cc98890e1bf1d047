package io.studiocp.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConcurrentlyTest {

  @Test
  void mapsEveryItemInOrderAtMostSoManyAtOnceOnThatManyThreads() {
    List<Integer> items = IntStream.range(0, 500).boxed().toList();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Set<Thread> threads = ConcurrentHashMap.newKeySet();

    List<Integer> squares = Concurrently.map(items, 8, i -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      threads.add(Thread.currentThread());
      Thread.yield();
      running.decrementAndGet();
      return i * i;
    });

    assertEquals(items.stream().map(i -> i * i).toList(), squares);
    assertTrue(most.get() <= 8, "at most 8 at once: " + most.get());
    assertTrue(threads.size() <= 8, "each worker keeps its thread (and what the SDK keeps per thread) for all its"
        + " items: " + threads.size() + " threads for 500 items");
  }

  @Test
  void theFirstFailureInTheItemsOrderIsThrownOnceEveryItemRan() {
    AtomicInteger ran = new AtomicInteger();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Concurrently.map(
        IntStream.range(0, 50).boxed().toList(), 4, i -> {
          ran.incrementAndGet();
          if (i == 7 || i == 30) {
            throw new IllegalStateException("item " + i);
          }
          return i;
        }));
    assertEquals("item 7", e.getMessage());
    assertEquals(50, ran.get(), "one failure does not stop the others");
  }
}

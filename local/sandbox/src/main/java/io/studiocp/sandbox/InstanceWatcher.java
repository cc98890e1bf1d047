package io.studiocp.sandbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * EC2's state-change notifications, emulated: moto's instances are read every {@code interval} and
 * each change of state is handed to the listeners, in order, one thread per listener (so that a
 * slow listener delays only itself).
 *
 * <p>A reading lists the instances that are not terminated, and reads by id those it knew that
 * left that listing (their last state, terminated); every {@value #FULL_EVERY}th reading lists
 * them all, terminated ones too (one that came and went between two readings). moto keeps a
 * terminated instance for good and renders each in every listing: a sandbox that has run many
 * hosts would otherwise spend its emulator's time, ten times a second, on instances long gone
 * (bench/host-ready measured 1.11 s with a pool host when every reading listed them all, against
 * 0.97 s with readings a second apart).
 */
final class InstanceWatcher implements AutoCloseable {

  /** One reading in this many lists every instance, terminated ones too. */
  static final int FULL_EVERY = 20;
  private static final Filter NOT_TERMINATED = Filter.builder().name("instance-state-name")
      .values("pending", "running", "shutting-down", "stopping", "stopped").build();

  /** Told of each state an instance enters. */
  @FunctionalInterface
  interface Listener {
    void changed(Instance instance, String previousState, String state);
  }

  private final Ec2Client ec2;
  private final Duration interval;
  private final List<Listener> listeners;
  private final List<ExecutorService> lanes;
  private final Map<String, String> states = new HashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread poller;
  private long readings;

  InstanceWatcher(Ec2Client ec2, Duration interval, List<Listener> listeners) {
    this(ec2, interval, listeners, true);
  }

  /** With {@code start} false, nothing reads until {@link #read} is called (the test's way). */
  InstanceWatcher(Ec2Client ec2, Duration interval, List<Listener> listeners, boolean start) {
    this.ec2 = ec2;
    this.interval = interval;
    this.listeners = List.copyOf(listeners);
    this.lanes = listeners.stream().map(l -> Executors.newSingleThreadExecutor(Thread.ofVirtual().factory())).toList();
    this.poller = start ? Thread.ofVirtual().name("instance-watcher").start(this::poll) : null;
  }

  private void poll() {
    while (running.get()) {
      try {
        read();
      } catch (RuntimeException e) {
        if (running.get()) {
          Sandbox.log("instance watcher: " + e.getMessage());
        }
      }
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One reading: the instances listed, and those known that left the listing read by id. */
  void read() {
    boolean everything = readings++ % FULL_EVERY == 0;
    Set<String> listed = new HashSet<>();
    ec2.describeInstancesPaginator(r -> {
      r.maxResults(1000);
      if (!everything) {
        r.filters(NOT_TERMINATED);
      }
    }).reservations().forEach(reservation -> reservation.instances().forEach(i -> {
      listed.add(i.instanceId());
      observe(i);
    }));
    List<String> left = states.entrySet().stream()
        .filter(e -> !"terminated".equals(e.getValue()) && !listed.contains(e.getKey()))
        .map(Map.Entry::getKey)
        .toList();
    if (!left.isEmpty()) {
      try {
        ec2.describeInstances(r -> r.instanceIds(left)).reservations()
            .forEach(reservation -> reservation.instances().forEach(this::observe));
      } catch (Ec2Exception e) {
        // Gone from EC2 altogether (moto reset): nothing more will be told of them.
        Sandbox.log("instance watcher: " + left + " no longer known (" + e.awsErrorDetails().errorCode() + ")");
        left.forEach(states::remove);
      }
    }
  }

  private void observe(Instance instance) {
    String state = instance.state().nameAsString();
    String previous = states.put(instance.instanceId(), state);
    if (state.equals(previous)) {
      return;
    }
    for (int i = 0; i < listeners.size(); i++) {
      Listener listener = listeners.get(i);
      lanes.get(i).submit(() -> {
        try {
          listener.changed(instance, previous, state);
        } catch (RuntimeException e) {
          Sandbox.log("while handling " + instance.instanceId() + " -> " + state + ": " + e);
        }
      });
    }
  }

  @Override
  public void close() {
    running.set(false);
    if (poller != null) {
      poller.interrupt();
    }
    lanes.forEach(ExecutorService::shutdownNow);
  }
}

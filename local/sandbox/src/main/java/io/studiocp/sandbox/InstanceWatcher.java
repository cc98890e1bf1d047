package io.studiocp.sandbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * EC2's state-change notifications, emulated: moto's instances are read every {@code interval} and
 * each change of state is handed to the listeners, in order, one thread per listener (so that a
 * slow listener delays only itself).
 */
final class InstanceWatcher implements AutoCloseable {

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

  InstanceWatcher(Ec2Client ec2, Duration interval, List<Listener> listeners) {
    this.ec2 = ec2;
    this.interval = interval;
    this.listeners = List.copyOf(listeners);
    this.lanes = listeners.stream().map(l -> Executors.newSingleThreadExecutor(Thread.ofVirtual().factory())).toList();
    this.poller = Thread.ofVirtual().name("instance-watcher").start(this::poll);
  }

  private void poll() {
    while (running.get()) {
      try {
        ec2.describeInstancesPaginator(r -> r.maxResults(1000)).reservations()
            .forEach(reservation -> reservation.instances().forEach(this::observe));
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
    poller.interrupt();
    lanes.forEach(ExecutorService::shutdownNow);
  }
}

package io.studiocp.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.Env;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;

/** The emulated state-change notifications against moto, one reading at a time (no thread, no timing). */
@ExtendWith(MotoExtension.class)
class InstanceWatcherTest {

  private final MotoServer moto;
  private Ec2Client ec2;
  private final List<DescribeInstancesRequest> reads = new ArrayList<>();
  private final LinkedBlockingQueue<String> told = new LinkedBlockingQueue<>();
  private InstanceWatcher watcher;
  private final Set<String> mine = ConcurrentHashMap.newKeySet();

  InstanceWatcherTest(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void setUp() {
    ec2 = new AwsClients(Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "x",
        "AWS_SECRET_ACCESS_KEY", "x", "AWS_ENDPOINT_URL", moto.endpoint())))
        .build(Ec2Client.builder().overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
          @Override
          public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof DescribeInstancesRequest read) {
              reads.add(read);
            }
          }
        })), "EC2");
    watcher = new InstanceWatcher(ec2, Duration.ofHours(1),
        List.of((instance, previous, state) -> {
          if (mine.contains(instance.instanceId())) {  // moto is shared with the other tests
            told.add(instance.instanceId() + " " + previous + " -> " + state);
          }
        }), false);
  }

  @AfterEach
  void tearDown() {
    watcher.close();
    ec2.close();
  }

  private String launch() {
    String id = ec2.runInstances(r -> r.imageId("ami-12c6146b").minCount(1).maxCount(1)).instances().getFirst()
        .instanceId();
    mine.add(id);
    return id;
  }

  private String next() throws InterruptedException {
    return told.poll(10, TimeUnit.SECONDS);
  }

  @Test
  void eachChangeIsToldOnceAndTerminatedInstancesAreListedOnlyEveryFewReadings() throws Exception {
    String kept = launch();
    String ended = launch();
    watcher.read();
    assertEquals(Set.of(ended + " null -> running", kept + " null -> running"), Set.of(next(), next()));
    assertEquals(List.of(), reads.getFirst().filters(), "the first reading lists every instance");

    ec2.terminateInstances(r -> r.instanceIds(ended));
    reads.clear();
    watcher.read();
    assertEquals(ended + " running -> terminated", next(), "read by id once it left the listing");
    assertEquals(2, reads.size());
    assertEquals("instance-state-name", reads.get(0).filters().getFirst().name());
    assertEquals(List.of(ended), reads.get(1).instanceIds());

    // One that came and went between two readings is told of at the next full listing.
    String brief = launch();
    ec2.terminateInstances(r -> r.instanceIds(brief));
    reads.clear();
    for (int i = 2; i < InstanceWatcher.FULL_EVERY; i++) {
      watcher.read();
    }
    assertNull(told.poll(200, TimeUnit.MILLISECONDS), "nothing changed among the instances listed");
    assertEquals(InstanceWatcher.FULL_EVERY - 2, reads.size(), "one call a reading: the terminated one is not read again");
    assertTrue(reads.stream().allMatch(r -> r.filters().size() == 1), "each of them a listing of the live ones");
    watcher.read();
    assertEquals(brief + " null -> terminated", next());
    assertEquals(List.of(), reads.getLast().filters(), "every " + InstanceWatcher.FULL_EVERY + "th reading lists all");
  }
}

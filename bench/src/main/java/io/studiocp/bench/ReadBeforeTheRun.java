package io.studiocp.bench;

import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.aws.Ec2Hosts;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.Env;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A run's one {@code DescribeInstances}, asked of moto before the run exactly as the run will ask
 * it (the same adapter, the same filters), so that the {@link CountingProxy} replays moto's answer
 * in the run: moto spends seconds of Python rendering hundreds of instances, where EC2 answers in a
 * fraction of a second.
 */
final class ReadBeforeTheRun {

  private ReadBeforeTheRun() {}

  /** Makes the reading through the fleet as the function builds it; returns how long moto took. */
  static Duration ask(Map<String, String> env, Consumer<HostFleet> reading) {
    long started = System.nanoTime();
    try (Ec2Client ec2 = new AwsClients(Env.of(env)).build(Ec2Client.builder(), "EC2")) {
      Ec2Hosts hosts = new Ec2Hosts(ec2);
      reading.accept(new HostFleet(hosts, hosts));
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }
}

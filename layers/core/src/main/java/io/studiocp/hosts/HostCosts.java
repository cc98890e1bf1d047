package io.studiocp.hosts;

import io.studiocp.pricing.PriceList;
import java.util.Optional;

/**
 * What a host costs per hour now, estimated from the price list: its instance and its root volume
 * while it runs (or is being provisioned or started), its volume alone while it is stopped,
 * nothing once it is gone. Unknown when a price or the volume's size is not known.
 */
public final class HostCosts {

  private HostCosts() {}

  public static Optional<Double> hourly(Host host, PriceList prices) {
    return switch (host.state()) {
      case TERMINATING, TERMINATED, FAILED -> Optional.of(0.0);
      case STOPPED -> volume(host, prices);
      case PROVISIONING, STARTING, READY -> Optional.ofNullable(host.volumeGiB())
          .flatMap(gib -> running(host.instanceType(), gib, prices));
    };
  }

  /** What an instance of this type with a volume of this size costs an hour while it runs. */
  public static Optional<Double> running(String instanceType, int volumeGiB, PriceList prices) {
    return prices.hourly(instanceType).map(instance -> instance + prices.volumeHourly(volumeGiB));
  }

  private static Optional<Double> volume(Host host, PriceList prices) {
    return Optional.ofNullable(host.volumeGiB()).map(prices::volumeHourly);
  }
}

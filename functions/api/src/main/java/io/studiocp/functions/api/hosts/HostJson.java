package io.studiocp.functions.api.hosts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.hosts.Host;
import io.studiocp.hosts.HostCosts;
import io.studiocp.platform.Json;
import io.studiocp.pricing.PriceList;
import java.time.Instant;

/** A host as the API shows it (README § The API); unknown values are left out. */
final class HostJson {

  private final PriceList prices;

  HostJson(PriceList prices) {
    this.prices = prices;
  }

  ObjectNode render(Host host) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("hostId", host.id().value());
    if (host.owner() != null) {
      node.putObject("owner")
          .put("domainId", host.owner().domainId())
          .put("userProfileName", host.owner().userProfileName());
    }
    node.put("state", host.state().name());
    putIfPresent(node, "instanceType", host.instanceType());
    putIfPresent(node, "instanceId", host.instanceId());
    putIfPresent(node, "subnetId", host.subnetId());
    putIfPresent(node, "dockerHost", host.dockerHost());
    if (host.dockerPort() != null) {
      node.put("dockerPort", host.dockerPort());
    }
    putIfPresent(node, "dockerEndpoint", host.dockerEndpoint());
    host.extraPorts().forEach(node.putArray("extraPorts")::add);
    putIfPresent(node, "certDirectory", host.certDirectory());
    putIfPresent(node, "createdAt", host.createdAt());
    putIfPresent(node, "readyAt", host.readyAt());
    putIfPresent(node, "expiresAt", host.expiresAt());
    if (host.volumeGiB() != null) {
      node.put("volumeGiB", host.volumeGiB());
    }
    // What it costs per hour now: instance and volume while it runs, the volume alone while stopped.
    HostCosts.hourly(host, prices).ifPresent(usd -> node.put("hourlyUsd", Math.round(usd * 10000) / 10000.0));
    putIfPresent(node, "failureReason", host.failureReason());
    putIfPresent(node, "stopReason", host.stopReason());
    if (host.lastActive() != null) {
      node.putObject("lastActive").put("at", host.lastActive().at().toString()).put("signal", host.lastActive().signal());
    }
    return node;
  }

  private static void putIfPresent(ObjectNode node, String field, Object value) {
    if (value instanceof Instant instant) {
      node.put(field, instant.toString());
    } else if (value != null) {
      node.put(field, value.toString());
    }
  }
}

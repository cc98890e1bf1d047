package io.studiocp.sandbox;

import java.nio.file.Path;

/**
 * The share of this machine one sandbox holds while it runs, so that several sandboxes (or
 * {@code make test} beside {@code make run}) never collide: slot {@code n} owns the loopback
 * addresses 127.(100+n).0.0/16, which are its domains' VPCs (a /20 per domain, a /24 per subnet),
 * so the private IP EC2 (moto) gives an instance is the loopback address its host listens on and
 * the control plane reaches it at, as in a VPC; the Docker
 * networks 10.(192+n).0.0/16 (a /24 per instance, cut into /27 networks, so that two hosts'
 * {@code sagemaker} networks never share a subnet in this machine's routing table), the API port
 * 8480+n unless one is given, and the runtime directory {@code <base>/n} under which every
 * instance's disk, sockets and pid files live.
 */
record SandboxSlot(int number, Path dir) {

  /** How many sandboxes one machine can run side by side. */
  static final int COUNT = 64;

  /** How many instances one sandbox can hold at once (terminated ones give their address back). */
  static final int INSTANCES = 250;

  static final int DEFAULT_API_PORT = 8480;

  /** The environment variable that marks every process a sandbox starts, for its keeper to find them. */
  static final String MARKER = "STUDIOCP_SANDBOX_RUNTIME";

  SandboxSlot {
    if (number < 0 || number >= COUNT) {
      throw new IllegalArgumentException("no sandbox slot " + number + " (0 to " + (COUNT - 1) + ")");
    }
  }

  /** The slot directory with a trailing slash: what a process's command line names if it is this slot's. */
  String marker() {
    return dir + "/";
  }

  String hostAddresses() {
    return "127." + (100 + number) + ".0.0/16";
  }

  /** The VPC of the seed's domain with this index (from 0): a /20 of the slot's addresses. */
  String vpcCidr(int domain) {
    return "127." + (100 + number) + "." + checkedDomain(domain) * 16 + ".0/20";
  }

  /** The subnet with this index (from 0) of the domain's VPC: a /24. */
  String subnetCidr(int domain, int subnet) {
    if (subnet < 0 || subnet >= 16) {
      throw new IllegalArgumentException("a sandbox domain has at most 16 subnets, not " + (subnet + 1));
    }
    return "127." + (100 + number) + "." + (checkedDomain(domain) * 16 + subnet) + ".0/24";
  }

  private static int checkedDomain(int domain) {
    if (domain < 0 || domain >= 16) {
      throw new IllegalArgumentException("a sandbox holds at most 16 domains, not " + (domain + 1));
    }
    return domain;
  }

  String hostNetworks() {
    return "10." + (192 + number) + ".0.0/16";
  }

  int defaultApiPort() {
    return DEFAULT_API_PORT + number;
  }

  /** Where the Docker networks of the instance with this index take their subnets from. */
  String hostNetworkPool(int index) {
    return "10." + (192 + number) + "." + checked(index) + ".0/24";
  }

  private static int checked(int index) {
    if (index < 0 || index >= INSTANCES) {
      throw new IllegalArgumentException("no instance index " + index + " (0 to " + (INSTANCES - 1) + ")");
    }
    return index;
  }
}

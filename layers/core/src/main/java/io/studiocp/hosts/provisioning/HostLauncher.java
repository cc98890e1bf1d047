package io.studiocp.hosts.provisioning;

/** Starts instances. */
public interface HostLauncher {

  /**
   * Runs one instance as the spec says (IMDSv2 only, hop limit 1, an encrypted gp3 root volume,
   * the spec's tags on instance and volume) and returns its id.
   */
  String launch(LaunchSpec spec);
}

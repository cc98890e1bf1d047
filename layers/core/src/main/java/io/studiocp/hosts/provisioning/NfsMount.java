package io.studiocp.hosts.provisioning;

/** An EFS directory the host mounts over NFS 4.1: {@code server:remotePath} on {@code mountPoint}. */
public record NfsMount(String server, String remotePath, String mountPoint) {

  /** The form bootstrap.sh reads: {@code server:/path=/mount/point}. */
  public String spec() {
    return server + ":" + remotePath + "=" + mountPoint;
  }
}

package io.studiocp.hosts.provisioning;

import java.util.regex.Pattern;

/** One NFS mount of a host: {@code server:remotePath} on {@code mountPoint}. */
public record NfsMount(String server, String remotePath, String mountPoint) {

  private static final Pattern SERVER = Pattern.compile("[A-Za-z0-9.-]+");
  private static final Pattern PLAIN_PATH = Pattern.compile("/[A-Za-z0-9._/-]*[A-Za-z0-9._-]");

  /** The form bootstrap.sh reads: {@code server:/path=/mount/point}. */
  public String spec() {
    return server + ":" + remotePath + "=" + mountPoint;
  }

  /**
   * Whether a warm pool host takes this mount in a claim: a server name or address and plain paths
   * (the remote one may be the file system's root). A claim is checked on the host before anything
   * in it is used (bootstrap.sh's {@code check_claim}), and one with another path is dropped there.
   */
  public boolean claimable() {
    return SERVER.matcher(server).matches() && ("/".equals(remotePath) || plainPath(remotePath))
        && plainPath(mountPoint);
  }

  /**
   * An absolute path of letters, digits, {@code . _ -} and {@code /} with no empty, {@code .} or
   * {@code ..} segment and no trailing {@code /} (bootstrap.sh's {@code plain_path}).
   */
  public static boolean plainPath(String path) {
    return path != null && PLAIN_PATH.matcher(path).matches() && !path.contains("//")
        && !(path + "/").contains("/./") && !(path + "/").contains("/../");
  }
}

package io.studiocp.emulators.http;

/**
 * Turns Nagle's algorithm off on the JDK's HTTP server sockets, for every stand-in in this JVM.
 * Left on, the server's answer (headers, then body, in two writes) waits for the client's delayed
 * ACK: about 40 ms added to every call on a loopback, twice the latency a benchmark models, and
 * nothing AWS does. The JDK reads the setting once, when its first HTTP server starts: call this
 * before creating one.
 */
public final class NoDelay {

  public static final String PROPERTY = "sun.net.httpserver.nodelay";

  private NoDelay() {}

  public static void enable() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "true");
    }
  }
}

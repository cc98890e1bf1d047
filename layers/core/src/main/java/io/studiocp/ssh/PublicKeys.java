package io.studiocp.ssh;

import io.studiocp.platform.Rejection;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An OpenSSH public key line as a node's tag can hold it: its type and key, without the comment. */
final class PublicKeys {

  static final Set<String> TYPES = Set.of("ssh-ed25519", "sk-ssh-ed25519@openssh.com", "ecdsa-sha2-nistp256",
      "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-rsa");
  private static final Pattern LINE = Pattern.compile("\\s*(\\S+)\\s+([A-Za-z0-9+/]+={0,3})(\\s+.*)?\\s*");
  /** An SSM tag value holds at most 256 characters. */
  static final int MAX = 256;

  private PublicKeys() {}

  static String normalise(String line) {
    Matcher m = line == null ? null : LINE.matcher(line);
    if (m == null || !m.matches() || !TYPES.contains(m.group(1))) {
      throw Rejection.invalid("publicKey", "must be one OpenSSH public key line such as \"ssh-ed25519 AAAAC3Nza... "
          + "you@laptop\" (the .pub file, never the private key); types: ssh-ed25519, ecdsa-sha2-nistp256/384/521");
    }
    String key = m.group(1) + " " + m.group(2);
    if (key.length() > MAX) {
      throw Rejection.invalid("publicKey", "a " + m.group(1) + " key of " + key.length() + " characters does not fit "
          + "an SSM tag (" + MAX + "); make an ed25519 key: ssh-keygen -t ed25519");
    }
    return key;
  }
}

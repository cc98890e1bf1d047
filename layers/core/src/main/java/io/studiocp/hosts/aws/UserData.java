package io.studiocp.hosts.aws;

import io.studiocp.hosts.provisioning.BootstrapUserData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPInputStream;

/**
 * A host's boot script as EC2 keeps it: gzip-compressed (cloud-init unpacks it; EC2 takes 16 KiB
 * of user data, the script is larger than that uncompressed), base64 on the wire.
 */
public final class UserData {

  private UserData() {}

  public static String encode(String script) {
    return Base64.getEncoder().encodeToString(BootstrapUserData.compress(script));
  }

  /** The script from EC2's base64 value, compressed or not. */
  public static String decode(String base64) {
    byte[] raw = Base64.getDecoder().decode(base64);
    if (raw.length < 2 || (raw[0] & 0xff) != 0x1f || (raw[1] & 0xff) != 0x8b) {
      return new String(raw, StandardCharsets.UTF_8);
    }
    try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return new String(gzip.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("user data is not a readable gzip stream", e);
    }
  }
}

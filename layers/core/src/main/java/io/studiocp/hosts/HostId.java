package io.studiocp.hosts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.studiocp.platform.Digests;
import io.studiocp.studio.StudioUser;
import java.util.regex.Pattern;

/**
 * A host's id: {@code h-} then 6 hex digits of its owner and 10 of the request. Derived from the
 * owner and the request's idempotency key, so a retried request names the same host, the same
 * workflow execution and the same EC2 client token; the owner part lets the running executions of
 * one user be picked out by name.
 */
public record HostId(@JsonValue String value) {

  private static final Pattern FORMAT = Pattern.compile("h-[0-9a-f]{16}");

  @JsonCreator
  public HostId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("not a host id: " + value);
    }
  }

  public static boolean isValid(String value) {
    return value != null && FORMAT.matcher(value).matches();
  }

  public static HostId derive(StudioUser owner, String idempotencyKey) {
    return new HostId(ownerPrefix(owner)
        + Digests.sha256Hex(owner.owner() + "\n" + idempotencyKey).substring(0, 10));
  }

  /** The id prefix every host of {@code owner} shares. */
  public static String ownerPrefix(StudioUser owner) {
    return "h-" + Digests.sha256Hex(owner.owner()).substring(0, 6);
  }

  public boolean belongsTo(StudioUser owner) {
    return value.startsWith(ownerPrefix(owner));
  }


  @Override
  public String toString() {
    return value;
  }
}

package io.studiocp.hosts.provisioning;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.studiocp.hosts.HostId;

/**
 * What Compensate receives: the host and the error Step Functions caught. {@code certDirectory}
 * is present once Prepare has run.
 */
public record CompensateInput(HostId hostId, String certDirectory, CaughtError error) {

  /** A caught error, as Step Functions writes it at the Catch's ResultPath. */
  public record CaughtError(@JsonProperty("Error") String error, @JsonProperty("Cause") String cause) {}
}

package io.studiocp.hosts;

import java.util.Collection;
import java.util.Map;

/** The VPC subnets hosts can be placed in. */
public interface Subnets {

  /** The availability zone of each subnet that exists. */
  Map<String, String> availabilityZones(Collection<String> subnetIds);
}

package io.studiocp.hosts;

import java.util.Optional;

/** The EC2 instance type catalogue of the region. */
public interface InstanceTypes {

  /** The type, or empty when the region does not know it. */
  Optional<InstanceTypeInfo> describe(String instanceType);

  /** Whether the type can be launched in the availability zone. */
  boolean offeredIn(String instanceType, String availabilityZone);
}

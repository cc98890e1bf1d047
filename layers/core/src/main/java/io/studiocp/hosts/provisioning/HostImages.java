package io.studiocp.hosts.provisioning;

import io.studiocp.hosts.InstanceTypeInfo;

/** Resolves the AMI for an instance type. */
public interface HostImages {

  HostImage imageFor(InstanceTypeInfo type);
}

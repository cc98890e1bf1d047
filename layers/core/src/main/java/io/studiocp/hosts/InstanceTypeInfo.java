package io.studiocp.hosts;

/** What matters of an EC2 instance type for a Docker host. */
public record InstanceTypeInfo(String name, String architecture, boolean nvidiaGpu, boolean otherAccelerator) {

  public boolean isArm() {
    return "arm64".equals(architecture);
  }
}

package io.studiocp.hosts.provisioning;

import io.studiocp.hosts.InstanceTypeInfo;

/** The AMI a host boots from, and its root device (where the gp3 volume goes). */
public record HostImage(String imageId, String rootDeviceName) {

  private static final String BASE = "/aws/service/ecs/optimized-ami/amazon-linux-2023/";

  /** The public SSM parameter holding the recommended ECS-optimized AL2023 AMI for the type. */
  public static String parameterFor(InstanceTypeInfo type) {
    if (type.nvidiaGpu()) {
      if (type.isArm()) {
        throw new ProvisioningException("no ECS-optimized GPU image exists for arm64 (" + type.name() + ")");
      }
      return BASE + "gpu/recommended/image_id";
    }
    return type.isArm() ? BASE + "arm64/recommended/image_id" : BASE + "recommended/image_id";
  }
}

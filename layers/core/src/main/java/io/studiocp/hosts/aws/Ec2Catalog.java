package io.studiocp.hosts.aws;

import io.studiocp.hosts.InstanceTypeInfo;
import io.studiocp.hosts.InstanceTypes;
import io.studiocp.hosts.Subnets;
import io.studiocp.platform.AwsFailures;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ArchitectureType;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LocationType;

/** Instance types and subnets from EC2. Instance types change rarely: kept per container. */
public final class Ec2Catalog implements InstanceTypes, Subnets {

  private final Ec2Client ec2;
  private final Map<String, Optional<InstanceTypeInfo>> types = new ConcurrentHashMap<>();

  public Ec2Catalog(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  @Override
  public Optional<InstanceTypeInfo> describe(String instanceType) {
    Optional<InstanceTypeInfo> known = types.get(instanceType);
    if (known != null) {
      return known;
    }
    Optional<InstanceTypeInfo> info = load(instanceType);
    types.put(instanceType, info);
    return info;
  }

  private Optional<InstanceTypeInfo> load(String instanceType) {
    try {
      return ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings(instanceType)).instanceTypes()
          .stream().findFirst().map(t -> new InstanceTypeInfo(t.instanceTypeAsString(),
              t.processorInfo() != null
                  && t.processorInfo().supportedArchitectures().contains(ArchitectureType.ARM64)
                  ? "arm64" : "x86_64",
              t.gpuInfo() != null && t.gpuInfo().gpus().stream()
                  .anyMatch(g -> "NVIDIA".equalsIgnoreCase(g.manufacturer())),
              t.inferenceAcceleratorInfo() != null || t.fpgaInfo() != null || t.neuronInfo() != null));
    } catch (AwsServiceException e) {
      if (AwsFailures.code(e).startsWith("InvalidInstanceType")) {
        return Optional.empty();
      }
      throw AwsFailures.classify("DescribeInstanceTypes " + instanceType, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeInstanceTypes " + instanceType, e);
    }
  }

  @Override
  public boolean offeredIn(String instanceType, String availabilityZone) {
    try {
      return !ec2.describeInstanceTypeOfferings(r -> r.locationType(LocationType.AVAILABILITY_ZONE)
          .filters(Filter.builder().name("instance-type").values(instanceType).build(),
              Filter.builder().name("location").values(availabilityZone).build()))
          .instanceTypeOfferings().isEmpty();
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeInstanceTypeOfferings " + instanceType, e);
    }
  }

  @Override
  public Map<String, String> availabilityZones(Collection<String> subnetIds) {
    if (subnetIds.isEmpty()) {
      return Map.of();
    }
    try {
      Map<String, String> zones = new LinkedHashMap<>();
      // A filter, not SubnetIds: an unknown id then simply finds nothing instead of failing all.
      ec2.describeSubnetsPaginator(r -> r.filters(Filter.builder().name("subnet-id").values(subnetIds).build()))
          .subnets().forEach(s -> zones.put(s.subnetId(), s.availabilityZone()));
      return zones;
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeSubnets", e);
    }
  }
}

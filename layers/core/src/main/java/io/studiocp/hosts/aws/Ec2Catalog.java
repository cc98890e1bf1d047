package io.studiocp.hosts.aws;

import io.studiocp.hosts.InstanceTypeInfo;
import io.studiocp.hosts.InstanceTypes;
import io.studiocp.hosts.Subnets;
import io.studiocp.hosts.aws.Ec2Query.Call;
import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.platform.XmlElement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Instance types and subnets from EC2, over the lean EC2 client ({@link Ec2Query}). Instance types
 * change rarely: kept per container.
 */
public final class Ec2Catalog implements InstanceTypes, Subnets {

  private final AwsQueryClient ec2;
  private final Map<String, Optional<InstanceTypeInfo>> types = new ConcurrentHashMap<>();

  public Ec2Catalog(AwsQueryClient ec2) {
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
      return ec2.call(Call.DescribeInstanceTypes, new AwsQueryClient.Parameters()
              .list("InstanceType", List.of(instanceType)))
          .items("instanceTypeSet").stream().findFirst().map(Ec2Catalog::info);
    } catch (AwsServiceException e) {
      if (AwsFailures.code(e).startsWith("InvalidInstanceType")) {
        return Optional.empty();
      }
      throw AwsFailures.classify("DescribeInstanceTypes " + instanceType, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeInstanceTypes " + instanceType, e);
    }
  }

  private static InstanceTypeInfo info(XmlElement type) {
    boolean arm = type.child("processorInfo").stream()
        .flatMap(p -> p.items("supportedArchitectures").stream())
        .anyMatch(a -> "arm64".equals(a.text()));
    boolean nvidia = type.child("gpuInfo").stream()
        .flatMap(g -> g.items("gpus").stream())
        .anyMatch(g -> "NVIDIA".equalsIgnoreCase(g.text("manufacturer")));
    boolean other = type.child("inferenceAcceleratorInfo").isPresent() || type.child("fpgaInfo").isPresent()
        || type.child("neuronInfo").isPresent();
    return new InstanceTypeInfo(type.text("instanceType"), arm ? "arm64" : "x86_64", nvidia, other);
  }

  @Override
  public boolean offeredIn(String instanceType, String availabilityZone) {
    try {
      return !ec2.call(Call.DescribeInstanceTypeOfferings, new AwsQueryClient.Parameters()
              .add("LocationType", "availability-zone")
              .filter("instance-type", instanceType)
              .filter("location", availabilityZone))
          .items("instanceTypeOfferingSet").isEmpty();
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
      for (XmlElement subnet : Ec2Query.all(ec2, Call.DescribeSubnets,
          new AwsQueryClient.Parameters().filter("subnet-id", List.copyOf(subnetIds)), "subnetSet")) {
        zones.put(subnet.text("subnetId"), subnet.text("availabilityZone"));
      }
      return zones;
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeSubnets", e);
    }
  }
}

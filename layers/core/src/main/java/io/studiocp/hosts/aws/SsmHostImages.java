package io.studiocp.hosts.aws;

import io.studiocp.hosts.InstanceTypeInfo;
import io.studiocp.hosts.provisioning.HostImage;
import io.studiocp.hosts.provisioning.HostImages;
import io.studiocp.hosts.provisioning.ProvisioningException;
import io.studiocp.platform.AwsFailures;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/** The recommended ECS-optimized AL2023 AMIs, from AWS's public SSM parameters. */
public final class SsmHostImages implements HostImages {

  private final SsmClient ssm;
  private final Ec2Client ec2;
  private final Map<String, HostImage> byParameter = new ConcurrentHashMap<>();

  public SsmHostImages(SsmClient ssm, Ec2Client ec2) {
    this.ssm = ssm;
    this.ec2 = ec2;
  }

  @Override
  public HostImage imageFor(InstanceTypeInfo type) {
    return byParameter.computeIfAbsent(HostImage.parameterFor(type), this::resolve);
  }

  private HostImage resolve(String parameter) {
    String imageId;
    try {
      imageId = ssm.getParameter(r -> r.name(parameter)).parameter().value();
    } catch (ParameterNotFoundException e) {
      throw new ProvisioningException("the AMI parameter " + parameter + " does not exist in this region");
    } catch (SdkException e) {
      throw AwsFailures.classify("GetParameter " + parameter, e);
    }
    try {
      String root = ec2.describeImages(r -> r.imageIds(imageId)).images().stream()
          .findFirst()
          .map(i -> i.rootDeviceName())
          .orElseThrow(() -> new ProvisioningException("AMI " + imageId + " from " + parameter + " does not exist"));
      return new HostImage(imageId, root);
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeImages " + imageId, e);
    }
  }
}

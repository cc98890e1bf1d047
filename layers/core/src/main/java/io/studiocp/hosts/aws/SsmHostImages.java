package io.studiocp.hosts.aws;

import io.studiocp.hosts.InstanceTypeInfo;
import io.studiocp.hosts.aws.Ec2Query.Call;
import io.studiocp.hosts.provisioning.HostImage;
import io.studiocp.hosts.provisioning.HostImages;
import io.studiocp.hosts.provisioning.ProvisioningException;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.AwsJsonClient;
import io.studiocp.platform.AwsOperation;
import io.studiocp.platform.AwsQueryClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The recommended ECS-optimized AL2023 AMIs, from AWS's public SSM parameters: SSM's
 * {@code GetParameter} as a signed JSON call ({@link AwsJsonClient}) and EC2's
 * {@code DescribeImages} over the lean EC2 client, without either SDK model.
 */
public final class SsmHostImages implements HostImages {

  /** SSM's JSON protocol, as botocore's model describes it. */
  public static final AwsJsonClient.Service SSM = new AwsJsonClient.Service("SSM", "ssm", "ssm", "AmazonSSM", "1.1");

  /** The SSM operation it calls. */
  enum SsmCall implements AwsOperation {
    GetParameter;

    static final String IAM_PREFIX = "ssm";
  }

  private final AwsJsonClient ssm;
  private final AwsQueryClient ec2;
  private final Map<String, HostImage> byParameter = new ConcurrentHashMap<>();

  public SsmHostImages(AwsJsonClient ssm, AwsQueryClient ec2) {
    this.ssm = ssm;
    this.ec2 = ec2;
  }

  /** Over the function's SSM endpoint, region and credentials, and its lean EC2 client. */
  public static SsmHostImages of(AwsClients aws, AwsQueryClient ec2) {
    return new SsmHostImages(aws.json(SSM), ec2);
  }

  /**
   * The SnapStart priming of its two calls: each as a priming call (signed, answered locally, never
   * sent), its answer read as a real one is.
   */
  public Runnable primer() {
    AwsJsonClient ssmPriming = ssm.priming();
    AwsQueryClient ec2Priming = ec2.priming();
    return () -> {
      ssmPriming.call(SsmCall.GetParameter, ssmPriming.input().put("Name", "/priming")).path("Parameter").path("Value");
      ec2Priming.call(Call.DescribeImages, new AwsQueryClient.Parameters().list("ImageId", List.of("ami-priming")))
          .items("imagesSet");
    };
  }

  @Override
  public HostImage imageFor(InstanceTypeInfo type) {
    return byParameter.computeIfAbsent(HostImage.parameterFor(type), this::resolve);
  }

  private HostImage resolve(String parameter) {
    String imageId;
    try {
      var input = ssm.input().put("Name", parameter);
      imageId = ssm.call(SsmCall.GetParameter, input).path("Parameter").path("Value").asText(null);
    } catch (AwsServiceException e) {
      if ("ParameterNotFound".equals(AwsFailures.code(e))) {
        throw new ProvisioningException("the AMI parameter " + parameter + " does not exist in this region");
      }
      throw AwsFailures.classify("GetParameter " + parameter, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("GetParameter " + parameter, e);
    }
    if (imageId == null) {
      throw new ProvisioningException("the AMI parameter " + parameter + " has no value");
    }
    try {
      String root = ec2.call(Call.DescribeImages, new AwsQueryClient.Parameters().list("ImageId", List.of(imageId)))
          .items("imagesSet").stream()
          .findFirst()
          .map(i -> i.text("rootDeviceName"))
          .orElseThrow(() -> new ProvisioningException("AMI " + imageId + " from " + parameter + " does not exist"));
      return new HostImage(imageId, root);
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeImages " + imageId, e);
    }
  }
}

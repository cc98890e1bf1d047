package io.studiocp.hosts.aws;

import io.studiocp.hosts.provisioning.HostLauncher;
import io.studiocp.hosts.provisioning.LaunchSpec;
import io.studiocp.platform.AwsFailures;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataEndpointState;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/** Runs host instances with a hardened spec and the hosts' instance profile. */
public final class Ec2HostLauncher implements HostLauncher {

  private final Ec2Client ec2;
  private final String instanceProfileArn;

  /** @param instanceProfileArn the profile every host runs with (its role reports back and nothing else) */
  public Ec2HostLauncher(Ec2Client ec2, String instanceProfileArn) {
    if (instanceProfileArn == null || !instanceProfileArn.contains(":instance-profile/")) {
      throw new IllegalArgumentException("not an instance profile ARN: " + instanceProfileArn);
    }
    this.ec2 = ec2;
    this.instanceProfileArn = instanceProfileArn;
  }

  @Override
  public String launch(LaunchSpec spec) {
    List<Tag> tags = Ec2Hosts.ec2Tags(spec.tags());
    try {
      return ec2.runInstances(r -> r.imageId(spec.imageId())
          .instanceType(spec.instanceType())
          .minCount(1)
          .maxCount(1)
          .subnetId(spec.subnetId())
          .securityGroupIds(spec.securityGroupIds())
          .clientToken(spec.clientToken())
          .instanceInitiatedShutdownBehavior(spec.terminateOnShutdown()
              ? ShutdownBehavior.TERMINATE : ShutdownBehavior.STOP)
          .userData(UserData.encode(spec.userData()))
          .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED)
              .httpPutResponseHopLimit(1)
              .httpEndpoint(InstanceMetadataEndpointState.ENABLED))
          .blockDeviceMappings(b -> b.deviceName(spec.rootDeviceName())
              .ebs(e -> e.volumeSize(spec.volumeGiB())
                  .volumeType(VolumeType.GP3)
                  .encrypted(true)
                  .deleteOnTermination(true)))
          .tagSpecifications(
              TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build(),
              TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tags).build(),
              // Tagged too, so the launch role may create network interfaces only with the product's tags.
              TagSpecification.builder().resourceType(ResourceType.NETWORK_INTERFACE).tags(tags).build())
          .iamInstanceProfile(p -> p.arn(instanceProfileArn)))
          .instances().getFirst().instanceId();
    } catch (SdkException e) {
      throw AwsFailures.classify("RunInstances " + spec.instanceType(), e);
    }
  }
}

package io.studiocp.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.http.FreePort;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.sagemaker.StudioStandIn;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.emulators.ssm.SsmStandIn;
import io.studiocp.emulators.ssm.SsmWorld;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.Env;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The AWS side of the sandbox: moto with the network the seed describes (a VPC per domain, its
 * subnets, the Studio apps' security group, the domain's EFS with a mount target per subnet, the
 * hosts' instance profile), the Studio stand-in serving the domains with those ids, and the SSM
 * stand-in in front of moto (hybrid activations and managed nodes; the rest of SSM is moto's).
 */
final class SandboxWorld implements AutoCloseable {

  final MotoServer moto;
  final MailRecorder mail;
  final StudioStandIn studio;
  final SsmStandIn ssm;
  final Map<String, String> baseEnv = new HashMap<>();
  final String hostInstanceProfileArn;

  private SandboxWorld(MotoServer moto, MailRecorder mail, SandboxSeed seed, SandboxSlot slot) {
    this.moto = moto;
    this.mail = mail;
    baseEnv.put("AWS_REGION", seed.region());
    baseEnv.put("AWS_ACCESS_KEY_ID", "sandbox");
    baseEnv.put("AWS_SECRET_ACCESS_KEY", "sandbox");
    baseEnv.put("AWS_ENDPOINT_URL", moto.endpoint());
    baseEnv.put("AWS_ENDPOINT_URL_SESV2", mail.endpoint());
    AwsClients aws = new AwsClients(Env.of(baseEnv));
    ObjectNode standInSeed = seed.raw().deepCopy();
    try (Ec2Client ec2 = aws.build(Ec2Client.builder(), "EC2");
        EfsClient efs = aws.build(EfsClient.builder(), "EFS");
        IamClient iam = aws.build(IamClient.builder(), "IAM")) {
      ArrayNode domains = (ArrayNode) standInSeed.get("domains");
      for (int i = 0; i < seed.domains().size(); i++) {
        createNetwork(ec2, efs, slot, i, seed.domains().get(i), (ObjectNode) domains.get(i));
      }
      iam.createRole(r -> r.roleName("studiocp-host").assumeRolePolicyDocument(
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
              + "{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
      hostInstanceProfileArn = iam.createInstanceProfile(r -> r.instanceProfileName("studiocp-host"))
          .instanceProfile().arn();
      iam.addRoleToInstanceProfile(r -> r.instanceProfileName("studiocp-host").roleName("studiocp-host"));
    }
    // The police's sender and the admins are verified SES identities, as an admin sets them up.
    try (SesV2Client ses = aws.build(SesV2Client.builder(), "SESV2")) {
      ses.createEmailIdentity(r -> r.emailIdentity(seed.police().fromAddress()));
      seed.police().adminEmails().forEach(a -> ses.createEmailIdentity(r -> r.emailIdentity(a)));
    }
    this.studio = StudioStandIn.start(StudioWorld.fromSeed(standInSeed, Instant.now()), 0);
    try {
      this.ssm = SsmStandIn.start(SsmWorld.fromSeed(seed.raw(), Clock.systemUTC()), 0, moto.endpoint());
    } catch (RuntimeException e) {
      studio.close();
      throw e;
    }
    // The functions reach SSM through its stand-in, which passes what it does not answer to moto.
    baseEnv.put("AWS_ENDPOINT_URL_SSM", ssm.endpoint());
  }

  /** Starts moto (its environment extended with {@code motoEnvironment}) and the stand-ins. */
  static SandboxWorld start(SandboxSeed seed, SandboxSlot slot, Map<String, String> motoEnvironment) {
    MotoServer moto = MotoServer.start(FreePort.find(), motoEnvironment);
    MailRecorder mail = null;
    try {
      mail = new MailRecorder(moto.endpoint());
      return new SandboxWorld(moto, mail, seed, slot);
    } catch (RuntimeException e) {
      if (mail != null) {
        mail.close();
      }
      moto.close();
      throw e;
    }
  }

  /**
   * The domain's VPC and subnets, in the slot's loopback range: the private IP moto gives an
   * instance is then the address its host listens on, as the control plane reads it from EC2.
   */
  private static void createNetwork(Ec2Client ec2, EfsClient efs, SandboxSlot slot, int index,
      SandboxSeed.DomainSeed domain, ObjectNode target) {
    String vpcId = ec2.createVpc(r -> r.cidrBlock(slot.vpcCidr(index))).vpc().vpcId();
    String studioGroup = ec2.createSecurityGroup(r -> r.vpcId(vpcId).groupName("studio-apps-" + domain.domainId())
        .description("SageMaker Studio apps of " + domain.domainId())).groupId();
    String fileSystemId = efs.createFileSystem(r -> r.creationToken("studio-home-" + domain.domainId())
        .encrypted(true)).fileSystemId();
    ArrayNode subnetIds = target.putArray("subnetIds");
    for (int s = 0; s < domain.subnets().size(); s++) {
      SandboxSeed.Subnet subnet = domain.subnets().get(s);
      String cidr = slot.subnetCidr(index, s);
      String subnetId = ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock(cidr)
          .availabilityZone(subnet.zone())).subnet().subnetId();
      subnetIds.add(subnetId);
      efs.createMountTarget(r -> r.fileSystemId(fileSystemId).subnetId(subnetId).securityGroups(studioGroup));
    }
    target.put("vpcId", vpcId);
    target.put("homeEfsFileSystemId", fileSystemId);
    target.putArray("securityGroups").add(studioGroup);
  }

  String standInEndpoint() {
    return studio.endpoint();
  }

  String taggingEndpoint() {
    return studio.taggingEndpoint();
  }

  String ssmEndpoint() {
    return ssm.endpoint();
  }

  @Override
  public void close() {
    ssm.close();
    studio.close();
    mail.close();
    moto.close();
  }
}

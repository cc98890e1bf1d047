package io.studiocp.hosts.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.provisioning.FileSystems;
import io.studiocp.hosts.provisioning.MountTarget;
import io.studiocp.hosts.provisioning.ProvisioningException;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.AwsJsonClient;
import io.studiocp.platform.AwsOperation;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.platform.Concurrently;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * {@link FileSystems} over EFS, with the NFS security group kept in EC2: EFS's REST-JSON calls
 * signed through {@link AwsJsonClient}, EC2's through the lean EC2 client, without either SDK model.
 */
public final class EfsFileSystems implements FileSystems {

  /** EFS's REST-JSON protocol, as botocore's model describes it. */
  public static final AwsJsonClient.Service EFS = AwsJsonClient.Service.rest("EFS", "elasticfilesystem",
      "elasticfilesystem");

  /** The EFS operations it calls. */
  enum EfsCall implements AwsOperation {
    DescribeMountTargets, DescribeMountTargetSecurityGroups, ModifyMountTargetSecurityGroups;

    static final String IAM_PREFIX = "elasticfilesystem";
  }

  private static final String API = "/2015-02-01/mount-targets";

  /** EFS accepts at most five security groups on a mount target. */
  static final int MAX_GROUPS = 5;

  private final AwsJsonClient efs;
  private final SecurityGroups groups;

  public EfsFileSystems(AwsJsonClient efs, AwsQueryClient ec2) {
    this.efs = efs;
    this.groups = new SecurityGroups(ec2);
  }

  /** Over the function's EFS endpoint, region and credentials, and its lean EC2 client. */
  public static EfsFileSystems of(AwsClients aws, AwsQueryClient ec2) {
    return new EfsFileSystems(aws.json(EFS), ec2);
  }

  /**
   * The SnapStart priming of its mount targets' listing: a priming call (signed, answered locally,
   * never sent), read as a real answer is. (Attaching the NFS group is not primed: its calls create.)
   */
  public Runnable primer() {
    EfsFileSystems priming = new EfsFileSystems(efs.priming(), groups.priming());
    return () -> priming.mountTargets("fs-priming");
  }

  private EfsFileSystems(AwsJsonClient efs, SecurityGroups groups) {
    this.efs = efs;
    this.groups = groups;
  }

  static String efsGroupName(String domainId) {
    return "studiocp-efs-" + domainId;
  }

  @Override
  public Map<String, MountTarget> mountTargets(String fileSystemId) {
    try {
      Map<String, MountTarget> byZone = new LinkedHashMap<>();
      String marker = null;
      do {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("FileSystemId", fileSystemId);
        if (marker != null) {
          query.put("Marker", marker);
        }
        JsonNode page = efs.rest(EfsCall.DescribeMountTargets, SdkHttpMethod.GET, API, query, null);
        for (JsonNode t : page.path("MountTargets")) {
          String state = t.path("LifeCycleState").asText(null);
          if (state == null || "available".equals(state)) {
            byZone.putIfAbsent(t.path("AvailabilityZoneName").asText(null), new MountTarget(
                t.path("MountTargetId").asText(null), t.path("FileSystemId").asText(null),
                t.path("AvailabilityZoneName").asText(null), t.path("SubnetId").asText(null),
                t.path("IpAddress").asText(null)));
          }
        }
        marker = page.path("NextMarker").asText(null);
      } while (marker != null && !marker.isEmpty());
      return byZone;
    } catch (AwsServiceException e) {
      if ("FileSystemNotFound".equals(AwsFailures.code(e))) {
        throw new ProvisioningException("EFS file system " + fileSystemId + " does not exist");
      }
      throw AwsFailures.classify("DescribeMountTargets " + fileSystemId, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeMountTargets " + fileSystemId, e);
    }
  }

  @Override
  public void allowNfs(MountTarget target, String vpcId, String domainId, String hostGroupId) {
    String path = API + "/" + URLEncoder.encode(target.mountTargetId(), StandardCharsets.UTF_8) + "/security-groups";
    // The mount target's groups are read while the NFS group is made ready: neither needs the other.
    var attachedLookup = Concurrently.start(() -> {
      List<String> groupIds = new ArrayList<>();
      try {
        efs.rest(EfsCall.DescribeMountTargetSecurityGroups, SdkHttpMethod.GET, path, Map.of(), null)
            .path("SecurityGroups").forEach(g -> groupIds.add(g.asText()));
      } catch (SdkException e) {
        throw AwsFailures.classify("DescribeMountTargetSecurityGroups " + target.mountTargetId(), e);
      }
      return groupIds;
    });
    String efsGroup = groups.ensureAdmitting(vpcId, efsGroupName(domainId),
        "Studio Control Plane: NFS from the Docker hosts of " + domainId,
        Map.of(HostTags.MANAGED, "true", HostTags.DOMAIN, domainId, HostTags.ROLE, "efs"),
        List.of(2049), List.of(hostGroupId), "Docker hosts of " + domainId);
    List<String> attached = Concurrently.join(attachedLookup);
    if (attached.contains(efsGroup)) {
      return;
    }
    if (attached.size() >= MAX_GROUPS) {
      throw new ProvisioningException("mount target " + target.mountTargetId() + " of "
          + target.fileSystemId() + " in " + target.availabilityZone() + " already has "
          + attached.size() + " security groups (" + String.join(", ", attached) + "), the most EFS "
          + "allows; remove one, or add an inbound rule for TCP 2049 from " + hostGroupId
          + " to one of them and attach " + efsGroup + " in its place");
    }
    attached.add(efsGroup);
    try {
      var body = efs.input();
      attached.forEach(body.putArray("SecurityGroups")::add);
      efs.rest(EfsCall.ModifyMountTargetSecurityGroups, SdkHttpMethod.PUT, path, Map.of(), body);
    } catch (SdkException e) {
      throw AwsFailures.classify("ModifyMountTargetSecurityGroups " + target.mountTargetId(), e);
    }
  }
}

package io.studiocp.studio;

import java.util.List;

/** What the control plane needs to know of a SageMaker domain. */
public record StudioDomain(String domainId, String vpcId, List<String> subnetIds,
    String homeEfsFileSystemId, List<String> securityGroupIds, String defaultExecutionRole) {

  public StudioDomain {
    subnetIds = List.copyOf(subnetIds);
    securityGroupIds = List.copyOf(securityGroupIds);
  }
}

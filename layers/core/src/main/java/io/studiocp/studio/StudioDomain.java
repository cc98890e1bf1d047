package io.studiocp.studio;

import java.util.List;

/**
 * What the control plane needs to know of a SageMaker domain.
 *
 * @param singleSignOn whether users sign in through IAM Identity Center (AuthMode SSO): only then
 *     do its profiles carry an SSO user value
 */
public record StudioDomain(String domainId, String vpcId, List<String> subnetIds,
    String homeEfsFileSystemId, List<String> securityGroupIds, String defaultExecutionRole, boolean singleSignOn) {

  public StudioDomain {
    subnetIds = List.copyOf(subnetIds);
    securityGroupIds = List.copyOf(securityGroupIds);
  }

  /** A domain whose users sign in with IAM. */
  public StudioDomain(String domainId, String vpcId, List<String> subnetIds, String homeEfsFileSystemId,
      List<String> securityGroupIds, String defaultExecutionRole) {
    this(domainId, vpcId, subnetIds, homeEfsFileSystemId, securityGroupIds, defaultExecutionRole, false);
  }
}

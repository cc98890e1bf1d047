package io.studiocp.hosts.aws;

import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostNetwork;
import io.studiocp.hosts.HostPolicy;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.hosts.HostTags;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link HostNetwork} over EC2 security groups. */
public final class Ec2HostNetwork implements HostNetwork {

  private final SecurityGroups groups;

  public Ec2HostNetwork(AwsQueryClient ec2) {
    this.groups = new SecurityGroups(ec2);
  }

  static String hostGroupName(String domainId) {
    return "studiocp-docker-hosts-" + domainId;
  }

  static String extraPortsGroupName(HostId hostId) {
    return "studiocp-host-" + hostId.value();
  }

  @Override
  public String ensureHostGroup(String vpcId, String domainId, List<String> studioGroups, int dockerPort) {
    return groups.ensureAdmitting(vpcId, hostGroupName(domainId),
        "Studio Control Plane Docker hosts of " + domainId + ": Docker TLS and local endpoints from Studio",
        Map.of(HostTags.MANAGED, "true", HostTags.DOMAIN, domainId, HostTags.ROLE, "docker-hosts"),
        List.of(dockerPort, HostPolicy.LOCAL_ENDPOINT_PORT), studioGroups, "Studio apps of " + domainId);
  }

  @Override
  public String ensureExtraPortsGroup(String vpcId, HostId hostId, List<String> studioGroups, List<Integer> ports) {
    return groups.ensureAdmitting(vpcId, extraPortsGroupName(hostId),
        "Studio Control Plane: ports " + ports + " of Docker host " + hostId,
        Map.of(HostTags.MANAGED, "true", HostTags.HOST_ID, hostId.value(), HostTags.ROLE, "host-extra-ports"),
        ports, studioGroups, "Studio apps");
  }

  @Override
  public Optional<String> extraPortsGroup(HostId hostId) {
    return groups.findByName(extraPortsGroupName(hostId)).map(SecurityGroups.Group::groupId);
  }

  @Override
  public boolean deleteExtraPortsGroup(HostId hostId) {
    return extraPortsGroup(hostId).map(groups::delete).orElse(true);
  }
}

package io.studiocp.hosts.aws;

import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.Hosts;
import io.studiocp.hosts.aws.Ec2Query.Call;
import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.platform.XmlElement;
import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@link Hosts} as {@link Ec2Hosts} reads them, over the lean EC2 client ({@link Ec2Query}): the
 * same filters, pages and answers, without loading the SDK's {@code Instance} model (what a host
 * request and the Prepare step read on their first invocation). {@link Ec2Hosts} stays the host
 * commands' adapter.
 */
public final class LeanEc2Hosts implements Hosts {

  private static final int PAGE = 1000;

  private final AwsQueryClient ec2;

  public LeanEc2Hosts(AwsQueryClient ec2) {
    this.ec2 = ec2;
  }

  @Override
  public List<HostInstance> ownedBy(StudioUser owner) {
    return describe(managed().filter("tag:" + HostTags.OWNER, owner.owner()));
  }

  @Override
  public List<HostInstance> all() {
    return describe(managed());
  }

  @Override
  public List<HostInstance> instancesOf(HostId id) {
    return describe(managed().filter("tag:" + HostTags.HOST_ID, id.value()));
  }

  @Override
  public List<HostInstance> pooled() {
    return describe(new AwsQueryClient.Parameters().filter("tag-key", HostTags.POOL)
        .filter("tag:" + HostTags.STATE, HostTags.POOLED)
        .filter("instance-state-name", List.of("pending", "running")));
  }

  @Override
  public Optional<HostInstance> instance(String instanceId) {
    return AwsFailures.absentWhen(Ec2Query.UNKNOWN_INSTANCE, Optional.empty(), "DescribeInstances " + instanceId, () ->
        instances(ec2.call(Call.DescribeInstances, new AwsQueryClient.Parameters()
            .list("InstanceId", List.of(instanceId))).items("reservationSet")).stream().findFirst());
  }

  private static AwsQueryClient.Parameters managed() {
    return new AwsQueryClient.Parameters().filter("tag:" + HostTags.MANAGED, "true");
  }

  private List<HostInstance> describe(AwsQueryClient.Parameters filters) {
    try {
      // EC2's largest page: a fleet of hundreds of hosts is one call, not one per hundred.
      List<HostInstance> found = instances(Ec2Query.all(ec2, Call.DescribeInstances, filters.add("MaxResults", PAGE),
          "reservationSet"));
      found.sort(Comparator.comparing(HostInstance::launchTime, Comparator.nullsLast(Comparator.reverseOrder())));
      return found;
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeInstances", e);
    }
  }

  private static List<HostInstance> instances(List<XmlElement> reservations) {
    List<HostInstance> found = new ArrayList<>();
    for (XmlElement reservation : reservations) {
      for (XmlElement i : reservation.items("instancesSet")) {
        String launched = i.text("launchTime");
        String state = i.child("instanceState").map(s -> s.text("name")).orElse(null);
        found.add(new HostInstance(i.text("instanceId"), state == null ? "unknown" : state, i.text("instanceType"),
            i.text("subnetId"), i.text("privateDnsName"), i.text("privateIpAddress"),
            launched == null ? null : Instant.parse(launched), Ec2Query.tags(i)));
      }
    }
    return found;
  }
}

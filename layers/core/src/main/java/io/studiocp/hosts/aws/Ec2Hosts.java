package io.studiocp.hosts.aws;

import io.studiocp.hosts.HostCommands;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.HostInstance;
import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.Hosts;
import io.studiocp.hosts.TaskTokens;
import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.platform.AwsFailures;
import io.studiocp.studio.StudioUser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ec2.model.BlobAttributeValue;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Managed hosts as EC2 instances: read by tag, changed by id. {@link Ec2HostLauncher} launches them. */
public final class Ec2Hosts implements Hosts, HostCommands, TaskTokens {

  private static final int PAGE = 1000;

  private final Supplier<Ec2Client> client;

  public Ec2Hosts(Ec2Client ec2) {
    this.client = () -> ec2;
  }

  /**
   * @param ec2 the client, asked for on the first call: a function that reads hosts through
   *     {@link LeanEc2Hosts} and changes them rarely builds the SDK's EC2 client only when it does
   *     (a {@link io.studiocp.platform.Lazy})
   */
  public Ec2Hosts(Supplier<Ec2Client> ec2) {
    this.client = ec2;
  }

  private Ec2Client ec2() {
    return client.get();
  }

  @Override
  public List<HostInstance> ownedBy(StudioUser owner) {
    return describe(List.of(tag(HostTags.MANAGED, "true"), tag(HostTags.OWNER, owner.owner())));
  }

  @Override
  public List<HostInstance> all() {
    return describe(List.of(tag(HostTags.MANAGED, "true")));
  }

  @Override
  public List<HostInstance> instancesOf(HostId id) {
    return describe(List.of(tag(HostTags.MANAGED, "true"), tag(HostTags.HOST_ID, id.value())));
  }

  @Override
  public List<HostInstance> pooled() {
    return describe(List.of(Filter.builder().name("tag-key").values(HostTags.POOL).build(),
        tag(HostTags.STATE, HostTags.POOLED),
        Filter.builder().name("instance-state-name").values("pending", "running").build()));
  }

  @Override
  public Optional<HostInstance> instance(String instanceId) {
    return AwsFailures.absentWhen(Ec2Query.UNKNOWN_INSTANCE, Optional.empty(), "DescribeInstances " + instanceId, () ->
        ec2().describeInstances(r -> r.instanceIds(instanceId)).reservations().stream()
            .flatMap(r -> r.instances().stream())
            .findFirst()
            .map(Ec2Hosts::toHostInstance));
  }

  private List<HostInstance> describe(List<Filter> filters) {
    try {
      List<HostInstance> found = new ArrayList<>();
      // EC2's largest page: a fleet of hundreds of hosts is one call, not one per hundred.
      ec2().describeInstancesPaginator(r -> r.filters(filters).maxResults(PAGE)).reservations()
          .forEach(r -> r.instances().forEach(i -> found.add(toHostInstance(i))));
      found.sort(Comparator.comparing(HostInstance::launchTime,
          Comparator.nullsLast(Comparator.reverseOrder())));
      return found;
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeInstances", e);
    }
  }

  private static HostInstance toHostInstance(Instance i) {
    Map<String, String> tags = new LinkedHashMap<>();
    i.tags().forEach(t -> tags.put(t.key(), t.value()));
    return new HostInstance(i.instanceId(), i.state() == null ? "unknown" : i.state().nameAsString(),
        i.instanceTypeAsString(), i.subnetId(), i.privateDnsName(), i.privateIpAddress(), i.launchTime(),
        tags);
  }

  static List<Tag> ec2Tags(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
  }

  private static Filter tag(String key, String value) {
    return Filter.builder().name("tag:" + key).values(value).build();
  }

  @Override
  public void tag(List<String> instanceIds, Map<String, String> tags) {
    if (instanceIds.isEmpty()) {
      return;
    }
    try {
      ec2().createTags(r -> r.resources(instanceIds).tags(ec2Tags(tags)));
    } catch (SdkException e) {
      throw AwsFailures.classify("CreateTags " + instanceIds, e);
    }
  }

  @Override
  public void untag(List<String> instanceIds, Collection<String> keys) {
    if (instanceIds.isEmpty() || keys.isEmpty()) {
      return;
    }
    try {
      ec2().deleteTags(r -> r.resources(instanceIds).tags(keys.stream().map(k -> Tag.builder().key(k).build()).toList()));
    } catch (SdkException e) {
      throw AwsFailures.classify("DeleteTags " + instanceIds, e);
    }
  }

  @Override
  public void replaceSecurityGroups(String instanceId, List<String> groupIds) {
    try {
      ec2().modifyInstanceAttribute(r -> r.instanceId(instanceId).groups(groupIds));
    } catch (SdkException e) {
      throw AwsFailures.classify("ModifyInstanceAttribute " + instanceId + " groups", e);
    }
  }

  @Override
  public void stopOnShutdown(String instanceId) {
    try {
      // The Attribute/Value form (moto knows only it for this attribute; EC2 takes both).
      ec2().modifyInstanceAttribute(r -> r.instanceId(instanceId)
          .attribute(InstanceAttributeName.INSTANCE_INITIATED_SHUTDOWN_BEHAVIOR).value("stop"));
    } catch (SdkException e) {
      throw AwsFailures.classify("ModifyInstanceAttribute " + instanceId + " shutdown behaviour", e);
    }
  }

  @Override
  public void terminate(List<String> instanceIds) {
    if (!instanceIds.isEmpty()) {
      AwsFailures.absentWhen(Ec2Query.INSTANCE_NOT_FOUND, null, "TerminateInstances " + instanceIds, () ->
          ec2().terminateInstances(r -> r.instanceIds(instanceIds)));
    }
  }

  @Override
  public void stop(List<String> instanceIds) {
    if (instanceIds.isEmpty()) {
      return;
    }
    try {
      ec2().stopInstances(r -> r.instanceIds(instanceIds));
    } catch (SdkException e) {
      throw AwsFailures.classify("StopInstances " + instanceIds, e);
    }
  }

  @Override
  public void start(List<String> instanceIds) {
    if (instanceIds.isEmpty()) {
      return;
    }
    try {
      ec2().startInstances(r -> r.instanceIds(instanceIds));
    } catch (SdkException e) {
      throw AwsFailures.classify("StartInstances " + instanceIds, e);
    }
  }

  @Override
  public Optional<String> bootScript(String instanceId) {
    var attribute = AwsFailures.absentWhen(Ec2Query.INSTANCE_NOT_FOUND, null, "DescribeInstanceAttribute " + instanceId, () ->
        ec2().describeInstanceAttribute(r -> r.instanceId(instanceId).attribute(InstanceAttributeName.USER_DATA))
            .userData());
    if (attribute == null || attribute.value() == null || attribute.value().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(UserData.decode(attribute.value()));
  }

  @Override
  public void replaceBootScript(String instanceId, String script) {
    try {
      // EC2 takes the value base64-encoded, as RunInstances does; the SDK encodes the blob once more
      // for the query protocol, and EC2 (like moto) unwraps that layer itself.
      ec2().modifyInstanceAttribute(r -> r.instanceId(instanceId).userData(
          BlobAttributeValue.builder().value(SdkBytes.fromUtf8String(UserData.encode(script))).build()));
    } catch (SdkException e) {
      throw AwsFailures.classify("ModifyInstanceAttribute " + instanceId, e);
    }
  }

  @Override
  public Optional<String> taskTokenOf(String instanceId) {
    return bootScript(instanceId).flatMap(BootstrapUserData::taskToken);
  }
}

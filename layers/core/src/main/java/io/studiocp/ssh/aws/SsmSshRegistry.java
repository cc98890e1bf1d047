package io.studiocp.ssh.aws;

import io.studiocp.platform.AwsFailures;
import io.studiocp.ssh.SshActivation;
import io.studiocp.ssh.SshNode;
import io.studiocp.ssh.SshRegistry;
import io.studiocp.ssh.SshTags;
import io.studiocp.studio.StudioUser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Activation;
import software.amazon.awssdk.services.ssm.model.DescribeActivationsFilterKeys;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;
import software.amazon.awssdk.services.ssm.model.InvalidActivationIdException;
import software.amazon.awssdk.services.ssm.model.InvalidInstanceIdException;
import software.amazon.awssdk.services.ssm.model.ResourceTypeForTagging;
import software.amazon.awssdk.services.ssm.model.Tag;

/**
 * The SSH registry in SSM: hybrid activations whose role is the control plane's activation role,
 * and the nodes they registered ({@code DescribeInstanceInformation} by that role, or by the owner
 * tag), each node's tags read with {@code ListTagsForResource} (DescribeInstanceInformation does
 * not return them).
 */
public final class SsmSshRegistry implements SshRegistry {

  private final SsmClient ssm;
  private final String activationRole;
  private final String region;

  public SsmSshRegistry(SsmClient ssm, String activationRole, String region) {
    this.ssm = ssm;
    this.activationRole = activationRole;
    this.region = region;
  }

  @Override
  public Created create(NewActivation a) {
    try {
      var created = ssm.createActivation(r -> r.description(a.description())
          .defaultInstanceName(a.defaultInstanceName())
          .iamRole(activationRole)
          .registrationLimit(1)
          .expirationDate(a.expiresAt())
          .tags(tags(a.tags())));
      return new Created(created.activationId(), created.activationCode());
    } catch (SdkException e) {
      throw AwsFailures.classify("CreateActivation", e);
    }
  }

  @Override
  public List<SshActivation> activations() {
    try {
      List<SshActivation> all = new ArrayList<>();
      ssm.describeActivationsPaginator(r -> r.filters(f -> f.filterKey(DescribeActivationsFilterKeys.IAM_ROLE)
          .filterValues(activationRole))).activationList().forEach(a -> all.add(activation(a)));
      return all;
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeActivations", e);
    }
  }

  @Override
  public List<SshNode> nodes() {
    return withTags(describe(InstanceInformationStringFilter.builder().key("IamRole").values(activationRole).build()));
  }

  @Override
  public List<SshNode> nodesOf(StudioUser owner) {
    // A tag filter cannot be combined with any other filter: the role is checked here.
    return withTags(describe(InstanceInformationStringFilter.builder().key("tag:" + SshTags.OWNER)
        .values(owner.owner()).build()));
  }

  @Override
  public Optional<SshNode> node(String instanceId) {
    try {
      return withTags(describe(InstanceInformationStringFilter.builder().key("InstanceIds").values(instanceId)
          .build())).stream().findFirst();
    } catch (RuntimeException e) {
      if (e.getCause() instanceof InvalidInstanceIdException || e instanceof InvalidInstanceIdException) {
        return Optional.empty(); // SSM: "not a managed node of this account"
      }
      throw e;
    }
  }

  @Override
  public void tag(String instanceId, Map<String, String> tags) {
    try {
      ssm.addTagsToResource(r -> r.resourceType(ResourceTypeForTagging.MANAGED_INSTANCE).resourceId(instanceId)
          .tags(tags(tags)));
    } catch (SdkException e) {
      throw AwsFailures.classify("AddTagsToResource " + instanceId, e);
    }
  }

  @Override
  public void deregister(String instanceId) {
    try {
      ssm.deregisterManagedInstance(r -> r.instanceId(instanceId));
    } catch (InvalidInstanceIdException e) {
      // already deregistered
    } catch (SdkException e) {
      throw AwsFailures.classify("DeregisterManagedInstance " + instanceId, e);
    }
  }

  @Override
  public void deleteActivation(String activationId) {
    try {
      ssm.deleteActivation(r -> r.activationId(activationId));
    } catch (InvalidActivationIdException e) {
      // already deleted
    } catch (SdkException e) {
      throw AwsFailures.classify("DeleteActivation " + activationId, e);
    }
  }

  @Override
  public String region() {
    return region;
  }

  /** The managed nodes (not EC2 instances) a filter finds that carry the activation role. */
  private List<InstanceInformation> describe(InstanceInformationStringFilter filter) {
    try {
      List<InstanceInformation> found = new ArrayList<>();
      ssm.describeInstanceInformationPaginator(r -> r.filters(filter).maxResults(50)).instanceInformationList()
          .forEach(found::add);
      return found.stream().filter(i -> activationRole.equals(i.iamRole()))
          .filter(i -> i.instanceId() != null && i.instanceId().startsWith("mi-")).toList();
    } catch (InvalidInstanceIdException e) {
      throw e;
    } catch (SdkException e) {
      throw AwsFailures.classify("DescribeInstanceInformation", e);
    }
  }

  private List<SshNode> withTags(List<InstanceInformation> found) {
    List<SshNode> nodes = new ArrayList<>();
    for (InstanceInformation i : found) {
      Map<String, String> tags = new LinkedHashMap<>();
      try {
        ssm.listTagsForResource(r -> r.resourceType(ResourceTypeForTagging.MANAGED_INSTANCE).resourceId(i.instanceId()))
            .tagList().forEach(t -> tags.put(t.key(), t.value()));
      } catch (InvalidInstanceIdException e) {
        continue; // deregistered between the two calls
      } catch (SdkException e) {
        throw AwsFailures.classify("ListTagsForResource " + i.instanceId(), e);
      }
      nodes.add(new SshNode(i.instanceId(), i.activationId(), i.name(), i.computerName(), i.ipAddress(),
          i.pingStatusAsString(), i.lastPingDateTime(), i.registrationDate(), tags));
    }
    return nodes;
  }

  private static SshActivation activation(Activation a) {
    Map<String, String> tags = new LinkedHashMap<>();
    a.tags().forEach(t -> tags.put(t.key(), t.value()));
    return new SshActivation(a.activationId(), a.createdDate(), a.expirationDate(),
        a.registrationLimit() == null ? 1 : a.registrationLimit(),
        a.registrationsCount() == null ? 0 : a.registrationsCount(), tags);
  }

  private static List<Tag> tags(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
  }
}

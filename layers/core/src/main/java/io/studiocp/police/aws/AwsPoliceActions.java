package io.studiocp.police.aws;

import io.studiocp.hosts.HostCommands;
import io.studiocp.hosts.HostState;
import io.studiocp.hosts.HostTags;
import io.studiocp.platform.AwsFailures;
import io.studiocp.police.PoliceActions;
import io.studiocp.police.PolicePolicy;
import io.studiocp.police.PolicedResource;
import io.studiocp.police.ResourceKind;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;

/** {@link PoliceActions} over the tagging API (twenty ARNs a call), SageMaker and EC2. */
public final class AwsPoliceActions implements PoliceActions {

  /** TagResources takes at most 20 ARNs. */
  static final int ARNS_PER_CALL = 20;

  private final SageMakerClient sagemaker;
  private final ResourceGroupsTaggingApiClient tagging;
  private final HostCommands hosts;

  public AwsPoliceActions(SageMakerClient sagemaker, ResourceGroupsTaggingApiClient tagging, HostCommands hosts) {
    this.sagemaker = sagemaker;
    this.tagging = tagging;
    this.hosts = hosts;
  }

  @Override
  public void mark(List<PolicedResource> resources, Map<String, String> tags) {
    List<String> arns = resources.stream().filter(r -> r.kind() != ResourceKind.HOST).map(PolicedResource::id).toList();
    for (int from = 0; from < arns.size(); from += ARNS_PER_CALL) {
      List<String> batch = arns.subList(from, Math.min(arns.size(), from + ARNS_PER_CALL));
      try {
        var failed = tagging.tagResources(r -> r.resourceARNList(batch).tags(tags)).failedResourcesMap();
        if (failed != null && !failed.isEmpty()) {
          throw new IllegalStateException("tagging failed for " + failed.keySet());
        }
      } catch (SdkException e) {
        throw AwsFailures.classify("TagResources", e);
      }
    }
    List<String> instances = resources.stream().filter(r -> r.kind() == ResourceKind.HOST)
        .map(r -> r.location().instanceId()).toList();
    hosts.tag(instances, tags);
  }

  @Override
  public void deleteApp(PolicedResource app) {
    PolicedResource.Location l = app.location();
    try {
      sagemaker.deleteApp(r -> r.domainId(app.domainId()).userProfileName(l.userProfileName()).spaceName(l.spaceName())
          .appType(l.appType()).appName(l.appName()));
    } catch (ResourceNotFoundException e) {
      // already gone
    } catch (SdkException e) {
      throw AwsFailures.classify("DeleteApp " + app.id(), e);
    }
  }

  @Override
  public void stopHost(PolicedResource host, PolicePolicy.HostAction action) {
    List<String> instance = List.of(host.location().instanceId());
    switch (action) {
      case STOP -> hosts.stop(instance);
      case TERMINATE -> {
        hosts.tag(instance, Map.of(HostTags.STATE, HostState.TERMINATING.name()));
        hosts.terminate(instance);
      }
      case NONE -> { }
    }
  }
}

package io.studiocp.police.aws;

import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.Concurrently;
import io.studiocp.police.PoliceActions;
import io.studiocp.police.PolicedResource;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;

/** {@link PoliceActions} over the tagging API (twenty ARNs a call) and SageMaker. */
public final class SageMakerPoliceActions implements PoliceActions {

  /** TagResources takes at most 20 ARNs. */
  static final int ARNS_PER_CALL = MARKS_PER_CALL;
  /** Batches written side by side. */
  private static final int WRITES_AT_ONCE = 4;

  private final SageMakerClient sagemaker;
  private final ResourceGroupsTaggingApiClient tagging;

  public SageMakerPoliceActions(SageMakerClient sagemaker, ResourceGroupsTaggingApiClient tagging) {
    this.sagemaker = sagemaker;
    this.tagging = tagging;
  }

  @Override
  public void mark(List<PolicedResource> apps, Map<String, String> tags) {
    List<String> arns = apps.stream().map(PolicedResource::id).toList();
    Concurrently.map(Concurrently.batches(arns, ARNS_PER_CALL), WRITES_AT_ONCE, batch -> {
      try {
        var failed = tagging.tagResources(r -> r.resourceARNList(batch).tags(tags)).failedResourcesMap();
        if (failed != null && !failed.isEmpty()) {
          throw new IllegalStateException("tagging failed for " + failed.keySet());
        }
        return batch.size();
      } catch (SdkException e) {
        throw AwsFailures.classify("TagResources", e);
      }
    });
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
}

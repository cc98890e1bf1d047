package io.studiocp.admin.aws;

import io.studiocp.admin.HomeUsage;
import io.studiocp.admin.HomeUsageJob;
import io.studiocp.platform.AwsFailures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;

/**
 * Keeps each home's usage as a tag on its user profile, through the tagging API: the profiles
 * measured the same second share one value per size, so a call tags up to twenty of them.
 */
public final class TaggingUsageStore implements HomeUsageJob.UsageStore {

  /** TagResources takes at most 20 ARNs. */
  static final int ARNS_PER_CALL = 20;

  private final ResourceGroupsTaggingApiClient tagging;

  public TaggingUsageStore(ResourceGroupsTaggingApiClient tagging) {
    this.tagging = tagging;
  }

  @Override
  public void record(Map<String, HomeUsage> byProfileArn) {
    Map<String, List<String>> byValue = new LinkedHashMap<>();
    byProfileArn.forEach((arn, usage) -> byValue.computeIfAbsent(usage.tagValue(), v -> new ArrayList<>()).add(arn));
    byValue.forEach((value, arns) -> {
      for (int from = 0; from < arns.size(); from += ARNS_PER_CALL) {
        List<String> batch = arns.subList(from, Math.min(arns.size(), from + ARNS_PER_CALL));
        try {
          var failed = tagging.tagResources(r -> r.resourceARNList(batch).tags(Map.of(HomeUsage.TAG, value)))
              .failedResourcesMap();
          if (failed != null && !failed.isEmpty()) {
            throw new IllegalStateException("tagging the home usage failed for " + failed.keySet());
          }
        } catch (SdkException e) {
          throw AwsFailures.classify("TagResources (home usage)", e);
        }
      }
    });
  }
}

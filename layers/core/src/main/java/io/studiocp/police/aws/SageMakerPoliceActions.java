package io.studiocp.police.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.AwsJsonClient;
import io.studiocp.platform.AwsOperation;
import io.studiocp.platform.Concurrently;
import io.studiocp.police.PoliceActions;
import io.studiocp.police.PolicedResource;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;

/**
 * {@link PoliceActions} over the tagging API (twenty ARNs a call) and SageMaker. The marks go as
 * signed JSON ({@link AwsJsonClient}): a run at scale writes about a hundred calls of twenty ARNs
 * beside its mail, and the SDK's tagging client spent more CPU marshalling them than the calls
 * themselves cost.
 */
public final class SageMakerPoliceActions implements PoliceActions {

  /** The Resource Groups Tagging API as the lean client speaks it (JSON 1.1). */
  public static final AwsJsonClient.Service TAGGING = new AwsJsonClient.Service("RESOURCE_GROUPS_TAGGING_API",
      "tagging", "tagging", "ResourceGroupsTaggingAPI_20170126", "1.1");

  /** The tagging operation this adapter calls (read from the bytecode by the deployment tests). */
  enum Call implements AwsOperation {
    TagResources;

    static final String IAM_PREFIX = "tag";
  }

  /** TagResources takes at most 20 ARNs. */
  static final int ARNS_PER_CALL = MARKS_PER_CALL;
  /** Batches written side by side. */
  private static final int WRITES_AT_ONCE = 4;

  private final SageMakerClient sagemaker;
  private final AwsJsonClient tagging;

  /** @param tagging the lean client for {@link #TAGGING} */
  public SageMakerPoliceActions(SageMakerClient sagemaker, AwsJsonClient tagging) {
    this.sagemaker = sagemaker;
    this.tagging = tagging;
  }

  /** A mark's call on a priming client (answered locally, never sent). */
  public Runnable primer() {
    AwsJsonClient priming = tagging.priming();
    return () -> {
      ObjectNode input = priming.input();
      input.putArray("ResourceARNList").add("arn:aws:sagemaker:::priming");
      input.putObject("Tags").put("studiocp:priming", "true");
      priming.call(Call.TagResources, input);
    };
  }

  @Override
  public void mark(List<PolicedResource> apps, Map<String, String> tags) {
    List<String> arns = apps.stream().map(PolicedResource::id).toList();
    Concurrently.map(Concurrently.batches(arns, ARNS_PER_CALL), WRITES_AT_ONCE, batch -> {
      try {
        ObjectNode input = tagging.input();
        batch.forEach(input.putArray("ResourceARNList")::add);
        ObjectNode values = input.putObject("Tags");
        tags.forEach(values::put);
        JsonNode failed = tagging.call(Call.TagResources, input).path("FailedResourcesMap");
        if (failed.isObject() && !failed.isEmpty()) {
          List<String> refused = new java.util.ArrayList<>();
          failed.fieldNames().forEachRemaining(refused::add);
          throw new IllegalStateException("tagging failed for " + refused);
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

package io.studiocp.functions.admin;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.studiocp.admin.HomeUsageJob;
import io.studiocp.admin.aws.TaggingUsageStore;
import io.studiocp.identity.IdentityPolicy;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.ConfigurationException;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import io.studiocp.platform.Setting;
import io.studiocp.platform.lambda.FunctionLog;
import io.studiocp.platform.lambda.ScheduledRun;
import io.studiocp.studio.aws.SageMakerStudioDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;

/**
 * The per-user home usage job (opt-in, {@code HomeUsageSubnetIds}): on its schedule, measures each
 * user's home on the domain's EFS, mounted through an access point at {@code HOME_USAGE_PATH}'s
 * root, and keeps the figures as tags on the user profiles, where the admin report reads them.
 * It runs in the VPC and without SnapStart (which cannot mount EFS).
 */
public final class HomeUsageHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(HomeUsageHandler.class);
  static final Setting HOME_USAGE_PATH = new Setting("HOME_USAGE_PATH");

  private final HomeUsageJob job;
  private final FunctionLog log;

  public HomeUsageHandler() {
    this(Env.system());
  }

  public HomeUsageHandler(Env env) {
    this(env, Clock.systemUTC());
  }

  public HomeUsageHandler(Env env, Clock clock) {
    String path = env.require(HOME_USAGE_PATH);
    if (!path.contains("{uid}") && !path.contains("{userProfile}")) {
      throw new ConfigurationException(HOME_USAGE_PATH.describe() + " must contain {uid} or {userProfile}, such as "
          + "/mnt/homes/{uid}; got '" + path + "'");
    }
    AwsClients aws = new AwsClients(env);
    this.job = new HomeUsageJob(SageMakerStudioDirectory.of(aws),
        new TaggingUsageStore(aws.build(ResourceGroupsTaggingApiClient.builder(), "RESOURCE_GROUPS_TAGGING_API")),
        path, IdentityPolicy.from(env).domainIds(), clock);
    this.log = FunctionLog.of(env);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    if (ScheduledRun.dryRun(input, "the home usage job takes")) {
      throw new ScheduledRun.InvalidEvent("the home usage job has no dry run: it only measures; send {}");
    }
    HomeUsageJob.Result result = log.invocation(context, () -> {
      try {
        HomeUsageJob.Result r = ScheduledRun.timed(LOG, "HomeUsage", false, job::run);
        LOG.info("home usage: {} homes measured, {} missing", r.measured().size(), r.missing().size());
        return r;
      } catch (RuntimeException e) {
        LOG.error("home usage run failed", e);
        throw new ScheduledRun.RunFailed("the home usage run failed: " + e.getMessage() + " (request id "
            + context.getAwsRequestId() + " in the function's log)");
      }
    });
    Json.mapper().writeValue(output, result);
  }
}

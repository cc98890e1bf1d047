package io.studiocp.sandbox;

import io.studiocp.platform.Env;
import io.studiocp.platform.lambda.FunctionLog;
import java.util.HashMap;
import java.util.Map;

/**
 * Each function's service name, the {@code POWERTOOLS_SERVICE_NAME} template.yaml sets on it
 * (ServiceNamesTest keeps the two the same). Every function runs in this one process, so each
 * gets its own settings with its name, as each Lambda function has its own environment.
 */
final class ServiceNames {

  static final Map<String, String> BY_FUNCTION = Map.ofEntries(
      Map.entry("ApiFunction", "studiocp-api"),
      Map.entry("PrepareFunction", "studiocp-prepare"),
      Map.entry("LaunchFunction", "studiocp-launch"),
      Map.entry("MarkReadyFunction", "studiocp-mark-ready"),
      Map.entry("CompensateFunction", "studiocp-compensate"),
      Map.entry("ClaimFunction", "studiocp-claim"),
      Map.entry("RefillFunction", "studiocp-refill"),
      Map.entry("HostEventsFunction", "studiocp-host-events"),
      Map.entry("PoliceFunction", "studiocp-police"),
      Map.entry("BeginStartFunction", "studiocp-begin-start"),
      Map.entry("FinishStartFunction", "studiocp-finish-start"),
      Map.entry("AbandonStartFunction", "studiocp-abandon-start"),
      Map.entry("CleanupFunction", "studiocp-cleanup"),
      Map.entry("AdminFunction", "studiocp-admin"),
      Map.entry("HomeUsageFunction", "studiocp-home-usage"));

  private ServiceNames() {}

  /** The settings of one function (by its logical id in template.yaml): the shared ones and its service name. */
  static Env env(Map<String, String> settings, String function) {
    String service = BY_FUNCTION.get(function);
    if (service == null) {
      throw new IllegalArgumentException("no service name for " + function + "; add it to ServiceNames and template.yaml");
    }
    Map<String, String> own = new HashMap<>(settings);
    own.put(FunctionLog.SERVICE_NAME, service);
    return Env.of(own);
  }
}

package io.studiocp.bench;

import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.sagemaker.StudioStandIn;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.functions.admin.AdminHandler;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * bench/admin-report: the admin console's report over a large estate — 1,000 user profiles, 3,000
 * apps, 50 Docker hosts — with 20 ms added to every SageMaker and tagging call, against moto (EC2)
 * and the Studio stand-in: its wall time and its AWS calls (the police's sweeps, no call per user).
 */
public final class AdminReportBench {

  private static final String DOMAIN = BenchEstate.DOMAIN;

  private AdminReportBench() {}

  public static void main(String[] args) throws Exception {
    int profiles = 1000;
    int hosts = 50;
    Duration latency = Duration.ofMillis(20);
    Instant now = Instant.now();
    try (MotoServer moto = MotoServer.start()) {
      // The police's estate at a tenth of its size: the report reuses the police's sweeps.
      BenchEstate estate = BenchEstate.build(moto, profiles, hosts, false, now);
      StudioWorld world = estate.world();
      int apps = estate.apps();
      estate.indexStudio();
      Map<String, String> env = estate.env();
      try (StudioStandIn standIn = StudioStandIn.start(world, 0)) {
        env.put("AWS_ENDPOINT_URL_SAGEMAKER", standIn.endpoint());
        env.put("AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API", standIn.taggingEndpoint());
        env.put("STUDIO_DOMAIN_IDS", DOMAIN);
        env.put("STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:ProvisionHost");
        env.put("START_STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:StartHost");
        AdminHandler admin = new AdminHandler(Env.of(env));
        standIn.latency(latency);
        standIn.resetCalls();

        long started = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        admin.handleRequest(new ByteArrayInputStream("{\"action\": \"report\"}".getBytes(StandardCharsets.UTF_8)), out,
            new LocalContext("Admin"));
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Long> calls = standIn.calls();
        var answer = Json.mapper().readTree(out.toByteArray());
        var totals = answer.path("report").path("totals");
        System.out.printf("%nAdmin report over %d user profiles, %d apps, %d hosts, %d ms added to every call%n",
            profiles, apps, hosts, latency.toMillis());
        System.out.printf("  wall time                  %6.2f s%n", seconds);
        System.out.printf("  apps / hosts reported      %6d / %d (users %d)%n", totals.path("apps").asInt(),
            totals.path("hosts").asInt(), answer.path("report").path("users").size());
        System.out.printf("  SageMaker calls            %6d  %s%n", CallCounts.count(calls, false), CallCounts.only(calls, false));
        System.out.printf("  tagging API calls          %6d  %s%n", CallCounts.count(calls, true), CallCounts.only(calls, true));
        System.out.println("  EC2 calls                       1  (DescribeInstances, moto, no latency added)");
        standIn.resetCalls();
        started = System.nanoTime();
        admin.handleRequest(new ByteArrayInputStream("{\"action\": \"report\"}".getBytes(StandardCharsets.UTF_8)),
            new ByteArrayOutputStream(), new LocalContext("Admin"));
        System.out.printf("  a second report, same JVM  %6.2f s (the first pays the JVM's and the SDK's warm-up)%n",
            (System.nanoTime() - started) / 1e9);
        System.out.println("target: under 5 s, no call per user");
      }
    }
  }


}

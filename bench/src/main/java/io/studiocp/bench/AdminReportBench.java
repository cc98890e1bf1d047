package io.studiocp.bench;

import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.sagemaker.StudioStandIn;
import io.studiocp.emulators.ssm.SsmStandIn;
import io.studiocp.emulators.ssm.SsmWorld;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.functions.admin.AdminHandler;
import io.studiocp.hosts.HostFleet;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * bench/admin-report: the admin console's report over the police's estate — 10,000 user profiles,
 * 30,000 apps, 500 Docker hosts by default ({@code bench/admin-report [profiles [hosts]]}) — with
 * 20 ms added to every AWS call, against moto (EC2, through a {@link CountingProxy}) and the Studio
 * stand-in: its wall time and its AWS calls (sweeps, no call per user).
 */
public final class AdminReportBench {

  private static final String DOMAIN = BenchEstate.DOMAIN;

  private AdminReportBench() {}


  public static void main(String[] args) throws Exception {
    int profiles = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int hosts = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    Duration latency = Duration.ofMillis(20);
    Instant now = Instant.now();
    try (MotoServer moto = MotoServer.start()) {
      // The police's estate (a tenth of the profiles in an SSO domain): the report reads it all.
      BenchEstate estate = BenchEstate.build(moto, profiles, hosts, true, now);
      StudioWorld world = estate.world();
      int apps = estate.apps();
      estate.indexStudio();
      Map<String, String> env = estate.env();
      try (StudioStandIn standIn = StudioStandIn.start(world, 0); CountingProxy proxy = new CountingProxy(moto.endpoint());
          SsmStandIn ssm = SsmStandIn.start(new SsmWorld("us-east-1", "123456789012"), 0, moto.endpoint())) {
        env.put("AWS_ENDPOINT_URL", proxy.endpoint());
        // The report's SSH section asks SSM for registered nodes (none here), from the SSM stand-in.
        env.put("AWS_ENDPOINT_URL_SSM", ssm.endpoint());
        env.put("AWS_ENDPOINT_URL_SAGEMAKER", standIn.endpoint());
        env.put("AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API", standIn.taggingEndpoint());
        env.put("STUDIO_DOMAIN_IDS", DOMAIN + "," + BenchEstate.SSO_DOMAIN);
        // The report's DescribeInstances replayed from moto's answer to the same request before the
        // run, as in bench/police (moto spends seconds of Python rendering hundreds of instances).
        proxy.latency(latency);
        proxy.replay("ec2:DescribeInstances");
        Duration motoDescribe = ReadBeforeTheRun.ask(env, HostFleet::all);
        proxy.reset();
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
        System.out.printf("  EC2 calls                  %6d  %s (%d replayed: moto took %.2f s for it before the run)%n",
            proxy.total(), proxy.calls(), proxy.replays(), motoDescribe.toMillis() / 1000.0);
        System.out.printf("  JVM flags                   %s%n", CallCounts.jvmFlags());
        System.out.printf("  load average               %6.1f%n",
            java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        standIn.resetCalls();
        started = System.nanoTime();
        admin.handleRequest(new ByteArrayInputStream("{\"action\": \"report\"}".getBytes(StandardCharsets.UTF_8)),
            new ByteArrayOutputStream(), new LocalContext("Admin"));
        System.out.printf("  a second report, same JVM  %6.2f s (the first pays the JVM's and the SDK's warm-up)%n",
            (System.nanoTime() - started) / 1e9);
        System.out.println("target: under 10 s, no call per user (ListApps returns at most 100 apps a call: see README)");
      }
    }
  }


}

package io.studiocp.bench;

import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.sagemaker.StudioStandIn;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.functions.police.PoliceHandler;
import io.studiocp.platform.AwsClients;
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
 * bench/police: one police run over a large estate — 10,000 user profiles, 30,000 apps, 500 Docker
 * hosts by default ({@code bench/police [profiles [hosts]] [--seed]}) — with 20 ms added to every
 * AWS call, against moto (EC2, SES, through a {@link CountingProxy}) and the Studio stand-in; with
 * {@code --seed}, beside it, the seed's approach (every page of ListUserProfiles, then one
 * ListApps per user) against the same stand-in, with the same latency (minutes at this size).
 */
public final class PoliceBench {

  private static final String DOMAIN = BenchEstate.DOMAIN;
  private static final String SSO_DOMAIN = BenchEstate.SSO_DOMAIN;
  /** SES v2's SendEmail, answered by the proxy with the same latency as every call (see README). */
  private static final String SEND_EMAIL = "ses:POST /v2/email/outbound-emails";
  private static final String DESCRIBE_INSTANCES = "ec2:DescribeInstances";

  private PoliceBench() {}

  public static void main(String[] args) throws Exception {
    List<String> positional = java.util.Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
    boolean withSeed = java.util.Arrays.asList(args).contains("--seed");
    int profiles = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 10_000;
    int hosts = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 500;
    Duration latency = Duration.ofMillis(20);
    Instant now = Instant.now();
    try (MotoServer moto = MotoServer.start()) {
      // Nine profiles in ten in a domain whose users sign in with IAM, the rest in an IAM Identity Center one.
      BenchEstate estate = BenchEstate.build(moto, profiles, hosts, true, now);
      StudioWorld world = estate.world();
      int apps = estate.apps();
      estate.indexStudio();
      Map<String, String> env = estate.env();
      try (StudioStandIn standIn = StudioStandIn.start(world, 0); CountingProxy proxy = new CountingProxy(moto.endpoint())) {
        env.put("AWS_ENDPOINT_URL", proxy.endpoint());
        env.put("AWS_ENDPOINT_URL_SAGEMAKER", standIn.endpoint());
        env.put("AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API", standIn.taggingEndpoint());
        env.put("STUDIO_DOMAIN_IDS", DOMAIN + "," + SSO_DOMAIN);
        env.put("POLICE_EMAIL_PATTERN", "{profile}@example.com");
        PoliceHandler police = new PoliceHandler(Env.of(env));
        standIn.latency(latency);
        standIn.resetCalls();
        proxy.latency(latency);
        proxy.answerLocally(SEND_EMAIL, "{\"MessageId\": \"bench-{n}\"}");
        // The police's one DescribeInstances, asked of moto once before the run and replayed in it:
        // moto spends seconds of Python rendering 500 instances (more under load), which would
        // measure moto. The answer is moto's own to the same request; no EC2 write comes between.
        proxy.replay(DESCRIBE_INSTANCES);
        Duration motoDescribe = ReadBeforeTheRun.ask(env, fleet -> fleet.ready(List.of(DOMAIN, SSO_DOMAIN)));
        proxy.reset();
        Timeline timeline = new Timeline();
        standIn.listen(call -> timeline.answered(call.operation()));
        standIn.listenTagging(call -> timeline.answered("tagging:" + call.operation()));
        proxy.timeline(timeline);

        timeline.start();
        long cpuBefore = processCpuNanos();
        long started = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        police.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), out,
            new LocalContext("Police"));
        double policeSeconds = (System.nanoTime() - started) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
        Map<String, Long> policeCalls = standIn.calls();
        Map<String, Long> motoCalls = proxy.calls();
        Duration motoTime = proxy.upstreamTime();
        Duration standInTime = standIn.ownTime();
        String when = timeline.render();
        var report = Json.mapper().readTree(out.toByteArray());

        double seedSeconds = 0;
        long seedApps = 0;
        Map<String, Long> seedCalls = Map.of();
        if (withSeed) {
          standIn.resetCalls();
          started = System.nanoTime();
          seedApps = seedApproach(new AwsClients(Env.of(env)));
          seedSeconds = (System.nanoTime() - started) / 1e9;
          seedCalls = standIn.calls();
        }
        long sagemaker = CallCounts.count(policeCalls, false);
        long tagging = CallCounts.count(policeCalls, true);
        System.out.printf("%nPolice run over %d user profiles (%d in an SSO domain), %d apps, %d hosts, %d ms added to every"
            + " AWS call%n", profiles, profiles / 10, apps, hosts, latency.toMillis());
        System.out.printf("  run time                   %6.2f s%n", policeSeconds);
        System.out.printf("  CPU time of this JVM       %6.2f s (the police, the Studio stand-in, the proxy; %d cores;"
            + " load average %s)%n", cpuSeconds, Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.printf("  JVM flags                   %s%n", CallCounts.jvmFlags());
        System.out.printf("  long-running found         %6d (actions %s)%n", report.get("longRunning").asInt(),
            report.get("actions"));
        System.out.printf("  messages sent              %6d%n", report.get("deliveries").size());
        System.out.printf("  SageMaker calls            %6d  %s%n", sagemaker, CallCounts.only(policeCalls, false));
        System.out.printf("  tagging API calls          %6d  %s%n", tagging, CallCounts.only(policeCalls, true));
        System.out.printf("  together                   %6d%n", sagemaker + tagging);
        System.out.printf("  EC2 and SES calls          %6d  %s%n", proxy.total(), motoCalls);
        System.out.println("    (EC2 from moto; SendEmail answered by the bench's proxy: moto spends ~15 ms of Python a message)");
        System.out.printf("    (DescribeInstances: %d of %d answered with moto's answer to the same request before the run,"
            + " which took moto %.2f s)%n", proxy.replays(), motoCalls.getOrDefault(DESCRIBE_INSTANCES, 0L),
            motoDescribe.toMillis() / 1000.0);
        System.out.printf("  of the run time, moto's own answering time, added up over calls side by side: %.2f s%n",
            motoTime.toMillis() / 1000.0);
        System.out.printf("  the Studio stand-in's own work (its world, without latency or HTTP), added up: %.2f s%n",
            standInTime.toMillis() / 1000.0);
        System.out.printf("  when the answers came, from the run's start:%n%s%n", when);
        if (withSeed) {
          long seed = CallCounts.count(seedCalls, false);
          System.out.printf("%nThe seed's approach (ListUserProfiles, then one ListApps per user), same estate%n");
          System.out.printf("  run time                   %6.2f s (listing only: %d apps read, nothing sent)%n",
              seedSeconds, seedApps);
          System.out.printf("  SageMaker calls            %6d  %s%n", seed, seedCalls);
          System.out.printf("%nSageMaker calls: %.1fx fewer; with the tagging API counted too: %.1fx fewer%n",
              (double) seed / sagemaker, (double) seed / (sagemaker + tagging));
        }
        System.out.println("targets: under 10 s, and under 300 SageMaker and tagging calls together");
      }
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static String loadAverage() {
    return String.format(java.util.Locale.ROOT, "%.1f",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }


  /** What the seed did: list the profiles, then list each one's apps. */
  private static long seedApproach(AwsClients aws) {
    try (SageMakerClient sagemaker = aws.build(SageMakerClient.builder(), "SAGEMAKER")) {
      long apps = 0;
      for (String domain : List.of(DOMAIN, SSO_DOMAIN)) {
        for (var profile : sagemaker.listUserProfilesPaginator(r -> r.domainIdEquals(domain).maxResults(100)).userProfiles()) {
          apps += sagemaker.listApps(r -> r.domainIdEquals(domain).userProfileNameEquals(profile.userProfileName())
              .maxResults(100)).apps().size();
        }
      }
      return apps;
    }
  }


}

package io.studiocp.bench;

import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.sagemaker.StudioStandIn;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.functions.admin.AdminHandler;
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
import java.util.Random;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * bench/admin-report: the admin console's report over a large estate — 1,000 user profiles, 3,000
 * apps, 50 Docker hosts — with 20 ms added to every SageMaker and tagging call, against moto (EC2)
 * and the Studio stand-in: its wall time and its AWS calls (the police's sweeps, no call per user).
 */
public final class AdminReportBench {

  private static final String DOMAIN = "d-bench00001";

  private AdminReportBench() {}

  public static void main(String[] args) throws Exception {
    int profiles = 1000;
    int hosts = 50;
    Duration latency = Duration.ofMillis(20);
    Instant now = Instant.now();
    Random random = new Random(7);
    try (MotoServer moto = MotoServer.start()) {
      StudioWorld world = new StudioWorld("us-east-1", "123456789012");
      world.addDomain(new StudioWorld.Domain(DOMAIN, "bench", "vpc-1", List.of("subnet-1"), "fs-12345678",
          List.of("sg-1"), "arn:aws:iam::123456789012:role/default", now));
      String[] types = {"ml.t3.medium", "ml.m5.large", "ml.m5.xlarge", "ml.g4dn.xlarge", "ml.c5.xlarge"};
      int apps = 0;
      for (int i = 0; i < profiles; i++) {
        String name = "user-" + i;
        // Most profiles carry their address as a tag; some are SSO users; a few need the pattern.
        Map<String, String> tags = i % 10 < 8 ? Map.of("studiocp:email", name + "@example.com") : Map.of();
        world.addUserProfile(new StudioWorld.UserProfile(DOMAIN, name, 200000 + i,
            "arn:aws:iam::123456789012:role/studio-" + i, List.of(), i % 10 == 8 ? name + "@example.com" : null,
            List.of(), now), tags);
        world.addApp(new StudioWorld.App(DOMAIN, name, null, "JupyterServer", "default", "system",
            now.minus(Duration.ofDays(20)), "InService"));
        apps++;
        for (int k = 0; k < 2; k++) {
          // A realistic mix: most apps are hours old, about one in ten runs past its threshold.
          double hours = random.nextDouble() < 0.1 ? 30 + random.nextInt(200) : random.nextInt(10);
          world.addApp(new StudioWorld.App(DOMAIN, name, null, "KernelGateway", "kg-" + i + "-" + k,
              types[random.nextInt(types.length)], now.minus(Duration.ofMinutes(Math.round(hours * 60))), "InService"));
          apps++;
        }
      }
      Map<String, String> env = new HashMap<>();
      env.put("AWS_REGION", "us-east-1");
      env.put("AWS_ACCESS_KEY_ID", "bench");
      env.put("AWS_SECRET_ACCESS_KEY", "bench");
      env.put("AWS_ENDPOINT_URL", moto.endpoint());
      AwsClients aws = new AwsClients(Env.of(env));
      try (Ec2Client ec2 = aws.build(Ec2Client.builder(), "EC2"); SesV2Client ses = aws.build(SesV2Client.builder(), "SESV2")) {
        ses.createEmailIdentity(r -> r.emailIdentity("police@example.com"));
        ses.createEmailIdentity(r -> r.emailIdentity("platform-team@example.com"));
        for (int h = 0; h < hosts; h++) {
          int n = h;
          ec2.runInstances(r -> r.imageId("ami-0aae19d30bab785d3").instanceType("m5.large").minCount(1).maxCount(1)
              .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(
                  tag("studiocp:managed", "true"), tag("studiocp:host-id", String.format("h-%016x", n)),
                  tag("studiocp:owner", DOMAIN + "/user-" + n), tag("studiocp:domain", DOMAIN),
                  tag("studiocp:state", "READY")).build()));
        }
      }
      try (StudioStandIn standIn = StudioStandIn.start(world, 0)) {
        env.put("AWS_ENDPOINT_URL_SAGEMAKER", standIn.endpoint());
        env.put("AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API", standIn.taggingEndpoint());
        env.put("STUDIO_DOMAIN_IDS", DOMAIN);
        env.put("POLICE_FROM_ADDRESS", "police@example.com");
        env.put("POLICE_ADMIN_EMAILS", "platform-team@example.com");
        env.put("SES_SANDBOX_MODE", "false");
        env.put("STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:ProvisionHost");
        env.put("START_STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:StartHost");
        env.put("POWERTOOLS_LOG_LEVEL", "WARN");
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
        System.out.printf("  SageMaker calls            %6d  %s%n", count(calls, false), only(calls, false));
        System.out.printf("  tagging API calls          %6d  %s%n", count(calls, true), only(calls, true));
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

  private static long count(Map<String, Long> calls, boolean tagging) {
    return calls.entrySet().stream().filter(e -> e.getKey().startsWith("tagging:") == tagging)
        .mapToLong(Map.Entry::getValue).sum();
  }

  private static Map<String, Long> only(Map<String, Long> calls, boolean tagging) {
    Map<String, Long> selected = new TreeMap<>();
    calls.forEach((k, v) -> {
      if (k.startsWith("tagging:") == tagging) {
        selected.put(k, v);
      }
    });
    return selected;
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }
}

package io.studiocp.bench;

import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.sagemaker.StudioStandIn;
import io.studiocp.emulators.ssm.SsmStandIn;
import io.studiocp.emulators.ssm.SsmWorld;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.functions.cleanup.CleanupHandler;
import io.studiocp.hosts.HostFleet;
import io.studiocp.hosts.HostTags;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * bench/cleanup: one cleanup run over 500 Docker hosts in mixed states — busy, idle, expired,
 * about to expire, orphaned while provisioning, stopped — plus executions whose hosts are gone
 * and security groups nobody uses, with 20 ms added to every AWS call: EC2 and Step Functions
 * (moto, through a {@link CountingProxy}), SageMaker and tagging (the Studio stand-in), SES.
 * Prints the wall time, the calls by operation, and what the run did.
 */
public final class CleanupBench {

  private static final String DESCRIBE_INSTANCES = "ec2:DescribeInstances";

  private static final String DOMAIN = "d-bench00001";
  private static final String SEND_EMAIL = "ses:POST /v2/email/outbound-emails";

  private CleanupBench() {}

  /** How many hosts of each kind, out of 500 (the rest are busy ready hosts). */
  private enum Kind { BUSY, IDLE, EXPIRED, EXPIRING, ORPHANED, STOPPED }

  public static void main(String[] args) throws Exception {
    int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    Map<Kind, Integer> mix = new LinkedHashMap<>();
    mix.put(Kind.IDLE, hosts / 5);
    mix.put(Kind.EXPIRED, hosts / 12);
    mix.put(Kind.EXPIRING, hosts / 16);
    mix.put(Kind.ORPHANED, hosts / 25);
    mix.put(Kind.STOPPED, hosts / 10);
    mix.put(Kind.BUSY, hosts - mix.values().stream().mapToInt(Integer::intValue).sum());
    int goneWithExecution = 5;
    int unusedGroups = 5;
    Duration latency = Duration.ofMillis(20);
    // moto stamps instances with the real launch time; the run's clock is two hours on, so that
    // instances launched now are past the provisioning timeout (the orphans) and tags are set from it.
    Instant now = Instant.now().plus(Duration.ofHours(2));
    try (MotoServer moto = MotoServer.start()) {
      StudioWorld world = new StudioWorld("us-east-1", "123456789012");
      world.addDomain(new StudioWorld.Domain(DOMAIN, "bench", "vpc-1", List.of("subnet-1"), "fs-12345678",
          List.of("sg-1"), "arn:aws:iam::123456789012:role/default", now));
      for (int i = 0; i < hosts + goneWithExecution; i++) {
        Map<String, String> tags = i % 10 < 8 ? Map.of("studiocp:email", "user-" + i + "@example.com") : Map.of();
        world.addUserProfile(new StudioWorld.UserProfile(DOMAIN, "user-" + i, 200000 + i,
            "arn:aws:iam::123456789012:role/studio-" + i, List.of(), null, List.of(), now), tags);
      }
      Map<String, String> env = new HashMap<>();
      env.put("AWS_REGION", "us-east-1");
      env.put("AWS_ACCESS_KEY_ID", "bench");
      env.put("AWS_SECRET_ACCESS_KEY", "bench");
      env.put("AWS_ENDPOINT_URL", moto.endpoint());
      AwsClients aws = new AwsClients(Env.of(env));
      String stateMachineArn;
      try (Ec2Client ec2 = aws.build(Ec2Client.builder(), "EC2"); SfnClient sfn = aws.build(SfnClient.builder(), "SFN");
          SesV2Client ses = aws.build(SesV2Client.builder(), "SESV2")) {
        ses.createEmailIdentity(r -> r.emailIdentity("police@example.com"));
        stateMachineArn = sfn.createStateMachine(r -> r.name("ProvisionHost")
            .roleArn("arn:aws:iam::123456789012:role/states")
            .definition("{\"StartAt\":\"Wait\",\"States\":{\"Wait\":{\"Type\":\"Wait\",\"Seconds\":3600,\"End\":true}}}"))
            .stateMachineArn();
        String vpc = ec2.describeVpcs().vpcs().getFirst().vpcId();
        int n = 0;
        for (Map.Entry<Kind, Integer> kind : mix.entrySet()) {
          for (int k = 0; k < kind.getValue(); k++, n++) {
            launch(ec2, n, kind.getKey(), now);
          }
        }
        // Hosts whose instances are gone while their workflow still runs.
        for (int k = 0; k < goneWithExecution; k++, n++) {
          String instanceId = launch(ec2, n, Kind.ORPHANED, now);
          ec2.terminateInstances(r -> r.instanceIds(instanceId));
          String hostId = hostId(n);
          sfn.startExecution(r -> r.stateMachineArn(stateMachineArn).name(hostId).input("{}"));
        }
        // Managed security groups: a host group of the domain in use, and host groups nobody uses.
        for (int g = 0; g < unusedGroups; g++) {
          int number = g;
          ec2.createSecurityGroup(r -> r.groupName("studiocp-host-" + number).description("bench").vpcId(vpc)
              .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP).tags(
                  tag(HostTags.MANAGED, "true"), tag(HostTags.ROLE, "host"),
                  tag(HostTags.HOST_ID, hostId(100_000 + number))).build()));
        }
      }

      try (StudioStandIn standIn = StudioStandIn.start(world, 0); CountingProxy proxy = new CountingProxy(moto.endpoint());
          SsmStandIn ssm = SsmStandIn.start(new SsmWorld("us-east-1", "123456789012"), 0, moto.endpoint())) {
        env.put("AWS_ENDPOINT_URL", proxy.endpoint());
        // The cleanup's SSH housekeeping asks SSM for registered nodes (none here), from the SSM stand-in.
        env.put("AWS_ENDPOINT_URL_SSM", ssm.endpoint());
        env.put("AWS_ENDPOINT_URL_SAGEMAKER", standIn.endpoint());
        env.put("AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API", standIn.taggingEndpoint());
        env.put("STUDIO_DOMAIN_IDS", DOMAIN);
        env.put("STATE_MACHINE_ARN", stateMachineArn);
        env.put("POLICE_FROM_ADDRESS", "police@example.com");
        env.put("POLICE_ADMIN_EMAILS", "platform-team@example.com");
        env.put("POLICE_EMAIL_PATTERN", "{profile}@example.com");
        env.put("SES_SANDBOX_MODE", "false");
        env.put("POWERTOOLS_LOG_LEVEL", "WARN");
        CleanupHandler cleanup = new CleanupHandler(Env.of(env), Clock.fixed(now, ZoneOffset.UTC));
        standIn.latency(latency);
        standIn.resetCalls();
        proxy.latency(latency);
        proxy.answerLocally(SEND_EMAIL, "{\"MessageId\": \"bench-{n}\"}");
        // The run's one DescribeInstances replayed from moto's answer to the same request before the
        // run, as in bench/police and bench/admin-report (moto spends seconds of Python rendering 505
        // instances; EC2 answers in a fraction of a second). Its changes still go to moto.
        proxy.replay(DESCRIBE_INSTANCES);
        Duration motoDescribe = ReadBeforeTheRun.ask(env, HostFleet::census);
        proxy.reset();

        long started = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        cleanup.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), out,
            new LocalContext("Cleanup"));
        double seconds = (System.nanoTime() - started) / 1e9;
        var report = Json.mapper().readTree(out.toByteArray());

        Map<String, Long> calls = new TreeMap<>(proxy.calls());
        standIn.calls().forEach((k, v) -> calls.put(k.startsWith("tagging:") ? k : "sagemaker:" + k, v));
        long mail = calls.getOrDefault(SEND_EMAIL, 0L);
        long awsCalls = calls.values().stream().mapToLong(Long::longValue).sum() - mail;
        Map<String, Integer> actions = new TreeMap<>();
        report.get("actions").forEach(a -> actions.merge(a.get("kind").asText(), 1, Integer::sum));
        List<String> failures = new ArrayList<>();
        report.get("failures").forEach(f -> failures.add(f.asText()));

        System.out.printf("%nCleanup run over %d hosts (%s), %d executions of gone hosts, %d unused groups,"
            + " %d ms added to every AWS call%n", hosts, mix, goneWithExecution, unusedGroups, latency.toMillis());
        System.out.printf("  run time                   %6.2f s%n", seconds);
        System.out.printf("  hosts seen                 %6d%n", report.get("hostsSeen").asInt());
        System.out.printf("  actions                    %6d  %s%n", report.get("actions").size(), actions);
        System.out.printf("  failures                   %6d  %s%n", failures.size(), failures);
        System.out.printf("  AWS calls                  %6d  %s (%d replayed: moto took %.2f s for it before the run)%n",
            awsCalls, withoutMail(calls), proxy.replays(), motoDescribe.toMillis() / 1000.0);
        System.out.printf("  mail                       %6d  SendEmail (one note per affected owner, one digest)%n", mail);
        System.out.printf("  of the run time, moto's own answering time, added up over calls side by side: %.2f s%n",
            proxy.upstreamTime().toMillis() / 1000.0);
        System.out.println("targets: under 10 s, and under 30 AWS calls (the mail aside)");
      }
    }
  }


  private static Map<String, Long> withoutMail(Map<String, Long> calls) {
    Map<String, Long> rest = new TreeMap<>(calls);
    rest.remove(SEND_EMAIL);
    return rest;
  }

  private static String hostId(int n) {
    return String.format("h-%016x", n);
  }

  /** Launches host {@code n} as a host of this kind would be tagged, relative to the run's clock. */
  private static String launch(Ec2Client ec2, int n, Kind kind, Instant now) {
    List<Tag> tags = new ArrayList<>(List.of(tag(HostTags.MANAGED, "true"), tag(HostTags.HOST_ID, hostId(n)),
        tag(HostTags.OWNER, DOMAIN + "/user-" + n), tag(HostTags.DOMAIN, DOMAIN),
        tag(HostTags.USER_PROFILE, "user-" + n)));
    Instant expires = now.plus(Duration.ofHours(8));
    Instant lastActive = now.minus(Duration.ofMinutes(10));
    String state = "READY";
    switch (kind) {
      case IDLE -> lastActive = now.minus(Duration.ofHours(3));
      case EXPIRED -> expires = now.minus(Duration.ofMinutes(5));
      case EXPIRING -> expires = now.plus(Duration.ofMinutes(30));
      case ORPHANED -> state = "PROVISIONING";
      case STOPPED -> state = "STOPPED";
      case BUSY -> { }
    }
    tags.add(tag(HostTags.STATE, state));
    tags.add(tag(HostTags.EXPIRES_AT, expires.toString()));
    if (!state.equals("PROVISIONING")) {
      tags.add(tag(HostTags.READY_AT, now.minus(Duration.ofHours(5)).toString()));
      tags.add(tag(HostTags.LAST_ACTIVE, lastActive + " container"));
    }
    String instanceId = ec2.runInstances(r -> r.imageId("ami-0aae19d30bab785d3").instanceType("m5.large")
        .minCount(1).maxCount(1)
        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build()))
        .instances().getFirst().instanceId();
    if (kind == Kind.STOPPED) {
      ec2.stopInstances(r -> r.instanceIds(instanceId));
    }
    return instanceId;
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }
}

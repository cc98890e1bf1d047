package io.studiocp.bench;

import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.emulators.sagemaker.StudioWorld;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.Env;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The large estate the police and admin-report benchmarks run over: user profiles each with a
 * JupyterServer and two KernelGateways (about one app in ten past its threshold), READY Docker
 * hosts in moto, and the mail identities; the same seed gives the same estate.
 *
 * @param env the settings of a function pointed at moto (the caller adds the stand-ins' endpoints)
 */
record BenchEstate(StudioWorld world, int apps, Map<String, String> env) {

  static final String DOMAIN = "d-bench00001";
  static final String SSO_DOMAIN = "d-bench00002";
  private static final String[] TYPES = {"ml.t3.medium", "ml.m5.large", "ml.m5.xlarge", "ml.g4dn.xlarge", "ml.c5.xlarge"};

  /**
   * @param ssoTenth whether the last tenth of the profiles sit in an IAM Identity Center domain
   *     (the only kind whose profiles carry SSO user values), half of them with an address there
   */
  static BenchEstate build(MotoServer moto, int profiles, int hosts, boolean ssoTenth, Instant now) {
    Random random = new Random(7);
    Random seconds = new Random(11);
    StudioWorld world = new StudioWorld("us-east-1", "123456789012");
    world.addDomain(new StudioWorld.Domain(DOMAIN, "bench", "vpc-1", List.of("subnet-1"), "fs-12345678",
        List.of("sg-1"), "arn:aws:iam::123456789012:role/default", now));
    if (ssoTenth) {
      world.addDomain(new StudioWorld.Domain(SSO_DOMAIN, "bench-sso", "vpc-1", List.of("subnet-1"), "fs-12345679",
          List.of("sg-1"), "arn:aws:iam::123456789012:role/default", now));
    }
    int ssoFrom = ssoTenth ? profiles - profiles / 10 : profiles;
    int apps = 0;
    for (int i = 0; i < profiles; i++) {
      String name = "user-" + i;
      boolean sso = i >= ssoFrom;
      String domain = sso ? SSO_DOMAIN : DOMAIN;
      // Most profiles carry their address as a tag; the others' come from their SSO user value when
      // it is one, else from the pattern.
      Map<String, String> tags = i % 10 < 8 ? Map.of("studiocp:email", name + "@example.com") : Map.of();
      String ssoValue = !sso ? null : i % 2 == 0 ? name + "@example.com" : name;
      world.addUserProfile(new StudioWorld.UserProfile(domain, name, 200000 + i,
          "arn:aws:iam::123456789012:role/studio-" + i, List.of(), ssoValue, List.of(), now), tags);
      world.addApp(new StudioWorld.App(domain, name, null, "JupyterServer", "default", "system",
          now.minus(Duration.ofDays(20)), "InService"));
      apps++;
      for (int k = 0; k < 2; k++) {
        // A realistic mix: most apps are hours old, about one in ten runs past its threshold.
        double hours = random.nextDouble() < 0.1 ? 30 + random.nextInt(200) : random.nextInt(10);
        // To the second within the hour, as SageMaker keeps creation times (whole hours would make
        // thousands of apps created at the same moment); a hour's whole number is still what it is.
        Duration age = Duration.ofMinutes(Math.round(hours * 60)).plusSeconds(seconds.nextInt(3600));
        world.addApp(new StudioWorld.App(domain, name, null, "KernelGateway", "kg-" + i + "-" + k,
            TYPES[random.nextInt(TYPES.length)], now.minus(age), "InService"));
        apps++;
      }
    }
    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "bench");
    env.put("AWS_SECRET_ACCESS_KEY", "bench");
    env.put("AWS_ENDPOINT_URL", moto.endpoint());
    env.put("POLICE_FROM_ADDRESS", "police@example.com");
    env.put("POLICE_ADMIN_EMAILS", "platform-team@example.com");
    env.put("SES_SANDBOX_MODE", "false");
    env.put("POWERTOOLS_LOG_LEVEL", "WARN");
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
    return new BenchEstate(world, apps, env);
  }

  /**
   * Builds the Studio stand-in's indexes of the apps (by domain in order of creation, by ARN) before
   * a timed run, as SageMaker's exist before anyone calls: the run then pays for pages, not for the
   * stand-in's one-off sort of every app.
   */
  void indexStudio() {
    world.appsByCreation(DOMAIN, false);
    world.appsByCreation(SSO_DOMAIN, false);
  }

  static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }
}

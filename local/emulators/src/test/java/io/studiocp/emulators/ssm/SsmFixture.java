package io.studiocp.emulators.ssm;

import io.studiocp.emulators.model.Botocore;
import io.studiocp.emulators.model.ServiceModel;
import io.studiocp.emulators.testing.Conformance;
import io.studiocp.emulators.testing.ManualClock;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * An SSM stand-in on a clock the test moves, in front of {@code upstream} (moto, or nothing); the
 * real SDK client talks to it over HTTP. On close, every call it answered itself is held to
 * botocore's model of SSM (and the agent's registration call to the agent's model).
 */
final class SsmFixture implements AutoCloseable {

  static final String ROLE = "studiocp-ssm-managed";

  final ManualClock clock = new ManualClock(Instant.parse("2025-06-01T12:00:00Z"));
  final SsmWorld world = new SsmWorld("us-east-1", "123456789012", clock);
  final SsmStandIn standIn;
  final SsmClient ssm;
  final Conformance conformance = new Conformance(model());

  SsmFixture(String upstream) {
    standIn = SsmStandIn.start(world, 0, upstream);
    standIn.listen(conformance);
    ssm = client(standIn.endpoint());
  }

  static ServiceModel model() {
    return Botocore.model("ssm").with(ServiceModel.resource(SsmStandIn.class, SsmStandIn.AGENT_MODEL));
  }

  static SsmClient client(String endpoint) {
    return SsmClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** An activation of ROLE for {@code limit} registrations, tagged {@code owner=<owner>}. */
  SsmWorld.Activation activation(String owner, int limit) {
    var created = ssm.createActivation(r -> r.iamRole(ROLE).registrationLimit(limit).defaultInstanceName(owner + "-app")
        .tags(software.amazon.awssdk.services.ssm.model.Tag.builder().key("owner").value(owner).build()));
    return world.activation(created.activationId()).orElseThrow();
  }

  @Override
  public void close() {
    try {
      if (!conformance.exchanges().isEmpty()) {
        conformance.assertConforms(List.of());
      }
    } finally {
      ssm.close();
      standIn.close();
    }
  }
}

package io.studiocp.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.hosts.provisioning.BootstrapUserData;
import io.studiocp.hosts.provisioning.LaunchPlan;
import io.studiocp.hosts.provisioning.NfsMount;
import io.studiocp.studio.StudioUser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BootstrapUserDataTest {

  static final String LONGEST_TOKEN = "AQ" + "x".repeat(2046);

  static LaunchPlan plan() {
    StudioUser owner = new StudioUser("d-abc", "alice");
    HostId id = HostId.derive(owner, "k");
    return new LaunchPlan(id, owner, "arn:aws:states:us-east-1:123456789012:execution:ProvisionHost:" + id,
        "g5.xlarge", "x86_64", true, "ami-1", "/dev/xvda", "subnet-1", "us-east-1a", List.of("sg-1"),
        100, 1111, List.of(8888), "2030-01-01T00:00:00Z", 200001, 100, "/home/sagemaker-user",
        "/home/sagemaker-user/.sdocker/hosts/" + id,
        List.of(new NfsMount("10.0.1.6", "/200001", "/home/sagemaker-user"),
            new NfsMount("10.0.1.7", "/team's data", "/mnt/custom-file-systems/efs/fs-1")), "2026-03-01T10:00:00Z");
  }

  private final BootstrapUserData userData = BootstrapUserData.packaged();

  @Test
  void fitsEc2sLimitEvenWithTheLongestTaskToken() {
    String script = userData.render(plan(), LONGEST_TOKEN, "us-east-1", Optional.empty());
    int bytes = BootstrapUserData.compressedSize(script);
    assertTrue(bytes < BootstrapUserData.MAX_BYTES, bytes + " bytes");
  }

  @Test
  void carriesTheTokenAndNoCredentials() {
    String script = userData.render(plan(), LONGEST_TOKEN, "us-east-1", Optional.empty());
    assertEquals(LONGEST_TOKEN, BootstrapUserData.taskToken(script).orElseThrow());
    assertFalse(script.matches("(?s).*(AKIA|ASIA)[A-Z0-9]{16}.*"), "no access key id");
    assertFalse(script.contains("aws_secret_access_key"), "no secret key");
    assertFalse(script.contains("AWS_SECRET_ACCESS_KEY="), "no secret key");
  }

  @Test
  void quotesValuesSoBashReadsThemBack() throws Exception {
    String script = userData.render(plan(), "AQtoken", "us-east-1", Optional.empty());
    assertTrue(script.contains("SDOCKER_MOUNTS='10.0.1.6:/200001=/home/sagemaker-user "
        + "10.0.1.7:/team'\\''s data=/mnt/custom-file-systems/efs/fs-1'"), script);
    assertTrue(script.startsWith("#!/bin/bash\n"), "the shebang stays");
    assertFalse(script.contains("\n# "), "comments are left out");
    Path file = Files.createTempFile("user-data", ".sh");
    try {
      Files.writeString(file, script);
      Process bash = new ProcessBuilder("bash", "-n", file.toString()).redirectErrorStream(true).start();
      assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, bash.exitValue(), new String(bash.getInputStream().readAllBytes()));
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void aPoolHostsScriptWaitsOnItsQueueWithNoIdentity() {
    String script = userData.renderPool("https://sqs.us-east-1.amazonaws.com/123456789012/studiocp-pool-d-abc-m5-xlarge",
        "us-east-1", Optional.of("http://127.0.0.1:5000"), Optional.empty());
    assertTrue(script.contains("\nSDOCKER_POOL_QUEUE_URL='https://sqs.us-east-1.amazonaws.com/123456789012/"
        + "studiocp-pool-d-abc-m5-xlarge'\n"), script);
    assertTrue(script.contains("\nSDOCKER_SQS_ENDPOINT='http://127.0.0.1:5000'\n"), script);
    assertEquals(BootstrapUserData.POOL_TOKEN, BootstrapUserData.taskToken(script).orElseThrow());
    assertFalse(script.contains("\nSDOCKER_HOST_ID='"), "no identity before a claim");
    assertFalse(script.contains("\nSDOCKER_MOUNTS='"), "no mounts before a claim");
    String started = BootstrapUserData.withTaskToken(script, "AQstart");
    assertEquals("AQstart", BootstrapUserData.taskToken(started).orElseThrow(), "a later start reports with its token");
  }

  @Test
  void aClaimCarriesTheFreshHostsValuesAsLinesTheHostAccepts() {
    String body = BootstrapUserData.claimBody(plan(), "AQclaim", "us-east-1", Optional.of("http://sfn.local"));
    String block = new String(java.util.Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
    String fresh = userData.render(plan(), "AQclaim", "us-east-1", Optional.of("http://sfn.local"));
    for (String line : block.strip().split("\n")) {
      assertTrue(fresh.contains("\n" + line + "\n"), "the fresh host's script has " + line);
    }
    assertTrue(block.contains("SDOCKER_TASK_TOKEN='AQclaim'\n"), block);
    assertTrue(block.contains("SDOCKER_UID='200001'\n"), block);
    assertEquals(11, block.strip().split("\n").length, block);
  }
}

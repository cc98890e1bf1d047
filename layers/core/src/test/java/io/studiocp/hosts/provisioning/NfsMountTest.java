package io.studiocp.hosts.provisioning;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which mounts a warm pool host takes in a claim: what bootstrap.sh's check_claim lets through. */
class NfsMountTest {

  @ParameterizedTest
  @ValueSource(strings = {"/home/sagemaker-user", "/200001", "/mnt/custom-file-systems/efs/fs-0a1b", "/a/b.c_d-e"})
  void plainPathsAreTaken(String path) {
    assertTrue(NfsMount.plainPath(path), path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/", "relative/path", "/team data", "/team's", "/a//b", "/a/./b", "/a/../b", "/a/..",
      "/a/", "/$(touch x)", "/a\nb"})
  void otherPathsAreNot(String path) {
    assertFalse(NfsMount.plainPath(path), path);
  }

  @Test
  void aMountIsClaimableWhenItsServerAndPathsAre() {
    assertTrue(new NfsMount("10.0.1.6", "/200001", "/home/sagemaker-user").claimable());
    assertTrue(new NfsMount("fs-1.efs.us-east-1.amazonaws.com", "/", "/mnt/custom-file-systems/efs/fs-1").claimable(),
        "a file system's root");
    assertFalse(new NfsMount("10.0.1.7", "/team's data", "/mnt/custom-file-systems/efs/fs-1").claimable());
    assertFalse(new NfsMount("10.0.1.7;rm", "/data", "/mnt/x").claimable());
    assertFalse(new NfsMount("10.0.1.7", "/data", "/mnt/x/").claimable());
  }
}

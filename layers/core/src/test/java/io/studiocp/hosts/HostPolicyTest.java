package io.studiocp.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.platform.Env;
import io.studiocp.platform.Rejection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A draft request completed and bounded by the policy. */
class HostPolicyTest {

  private final HostPolicy policy = HostPolicy.from(Env.of(Map.of("ALLOWED_INSTANCE_TYPES", "m5.*,g5.xlarge",
      "DEFAULT_VOLUME_GIB", "120", "DEFAULT_TTL_HOURS", "8")));

  private static HostRequest.Draft draft(String type, Integer volume, Integer ttl, List<Integer> ports) {
    return new HostRequest.Draft(Optional.ofNullable(type), Optional.empty(), Optional.ofNullable(volume),
        Optional.ofNullable(ttl), ports);
  }

  private Rejection refused(HostRequest.Draft draft) {
    Rejection e = assertThrows(Rejection.class, () -> policy.complete(draft));
    assertEquals(Rejection.Kind.INVALID, e.kind());
    assertEquals("ValidationError", e.code());
    return e;
  }

  @Test
  void fillsDefaultsFromThePolicy() {
    assertEquals(new HostRequest("m5.xlarge", null, 120, 8, List.of()), policy.complete(HostRequest.Draft.of("m5.xlarge")));
  }

  @Test
  void keepsWhatWasAskedFor() {
    HostRequest.Draft draft = new HostRequest.Draft(Optional.of("g5.xlarge"), Optional.of("subnet-0abc1234"),
        Optional.of(200), Optional.of(3), List.of(8888, 9000));
    assertEquals(new HostRequest("g5.xlarge", "subnet-0abc1234", 200, 3, List.of(8888, 9000)), policy.complete(draft));
  }

  @Test
  void namesTheSageMakerTypeItsEc2Name() {
    assertTrue(refused(HostRequest.Draft.of("ml.m5.xlarge")).getMessage().contains("'m5.xlarge'"));
  }

  @Test
  void listsTheAllowedTypes() {
    Rejection e = refused(HostRequest.Draft.of("c5.large"));
    assertTrue(e.getMessage().contains("allowed: m5.*, g5.xlarge"), e.getMessage());
  }

  @Test
  void anInstanceTypeIsRequired() {
    assertEquals("instanceType: is required, for example \"m5.xlarge\"",
        refused(draft(null, null, null, List.of())).getMessage());
  }

  @Test
  void aSubnetIdMustLookLikeOne() {
    Rejection e = refused(new HostRequest.Draft(Optional.of("m5.large"), Optional.of("subnet-xyz"), Optional.empty(),
        Optional.empty(), List.of()));
    assertEquals("subnetId: must be a subnet id such as \"subnet-0abc1234\", got \"subnet-xyz\"", e.getMessage());
  }

  @ParameterizedTest(name = "volume {0}, ttl {1} -> {2}")
  @CsvSource({
      "29, 8, 'volumeGiB: must be from 30 to 500, got 29'",
      "501, 8, 'volumeGiB: must be from 30 to 500, got 501'",
      "100, 0, 'ttlHours: must be from 1 to 72, got 0'",
      "100, 73, 'ttlHours: must be from 1 to 72, got 73'",
  })
  void boundsTheNumbers(int volume, int ttl, String message) {
    assertEquals(message, refused(draft("m5.large", volume, ttl, List.of())).getMessage());
  }

  @Test
  void theBoundsAreTheLimitsThemselves() {
    assertEquals(new HostRequest("m5.large", null, 30, 72, List.of()), policy.complete(draft("m5.large", 30, 72, List.of())));
    assertEquals(new HostPolicy.Range(30, 500), policy.volumeGiB());
    assertEquals(new HostPolicy.Range(1, 72), policy.ttlHours());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "80          | extraPorts: 80 is outside 1024-65535",
      "1111        | extraPorts: 1111 is the Docker port; it is always open",
      "8080        | extraPorts: 8080 is always open for local endpoints; leave it out",
      "9000,9000   | extraPorts: 9000 is listed twice",
      "9001,9002,9003,9004,9005,9006 | extraPorts: at most 5 ports, got 6",
  })
  void checksTheExtraPorts(String ports, String message) {
    List<Integer> list = java.util.Arrays.stream(ports.split(",")).map(String::strip).map(Integer::valueOf).toList();
    assertEquals(message, refused(draft("m5.large", null, null, list)).getMessage());
  }
}

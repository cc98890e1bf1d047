package io.studiocp.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.studiocp.platform.Env;
import io.studiocp.platform.RequestRejected;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostRequestParserTest {

  private final HostPolicy policy = HostPolicy.from(Env.of(Map.of("ALLOWED_INSTANCE_TYPES", "m5.*,g5.xlarge",
      "DEFAULT_VOLUME_GIB", "120", "DEFAULT_TTL_HOURS", "8")));
  private final HostRequestParser parser = new HostRequestParser(policy);

  private HostRequest parse(String json) throws Exception {
    return parser.parse(new ObjectMapper().readTree(json));
  }

  @Test
  void fillsDefaultsFromThePolicy() throws Exception {
    HostRequest request = parse("{\"instanceType\": \"m5.xlarge\"}");
    assertEquals(new HostRequest("m5.xlarge", null, 120, 8, List.of()), request);
  }

  @Test
  void keepsWhatWasAskedFor() throws Exception {
    HostRequest request = parse("{\"instanceType\": \"g5.xlarge\", \"subnetId\": \"subnet-0abc1234\","
        + " \"volumeGiB\": 200, \"ttlHours\": 3, \"extraPorts\": [8888, 9000]}");
    assertEquals(new HostRequest("g5.xlarge", "subnet-0abc1234", 200, 3, List.of(8888, 9000)), request);
  }

  @Test
  void namesTheSageMakerTypeItsEc2Name() {
    RequestRejected e = assertThrows(RequestRejected.class, () -> parse("{\"instanceType\": \"ml.m5.xlarge\"}"));
    assertTrue(e.getMessage().contains("'m5.xlarge'"), e.getMessage());
    assertEquals(400, e.status());
  }

  @Test
  void listsTheAllowedTypes() {
    RequestRejected e = assertThrows(RequestRejected.class, () -> parse("{\"instanceType\": \"c5.large\"}"));
    assertTrue(e.getMessage().contains("allowed: m5.*, g5.xlarge"), e.getMessage());
  }
}

package io.studiocp.emulators.moto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MotoServerTest {

  @Test
  void startsOnLoopbackAndStopsByPid() throws Exception {
    long pid;
    try (MotoServer moto = MotoServer.start()) {
      pid = moto.pid();
      assertTrue(moto.endpoint().startsWith("http://127.0.0.1:"));
      assertTrue(moto.stateJson().strip().startsWith("{"), "moto answers its own API with JSON");
    }
    ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
    if (handle != null) {
      handle.onExit().get(10, TimeUnit.SECONDS);
    }
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
        "moto is gone after close");
  }

  /** As EC2: of twenty requests at once for one security group name in a VPC, one makes it. */
  @Test
  void aSecurityGroupNameIsTakenOnceEvenByRequestsAtOnce() throws Exception {
    try (MotoServer moto = MotoServer.start(); HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(20)) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sent.add(pool.submit(() -> {
          go.await();
          return http.send(HttpRequest.newBuilder(URI.create(moto.endpoint() + "/"))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, "
                  + "SignedHeaders=host, Signature=0")
              .POST(HttpRequest.BodyPublishers.ofString("Action=CreateSecurityGroup&Version=2016-11-15"
                  + "&GroupName=studiocp-slot-once&GroupDescription=once"))
              .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }));
      }
      go.countDown();
      int created = 0;
      for (Future<Integer> status : sent) {
        created += status.get(60, TimeUnit.SECONDS) == 200 ? 1 : 0;
      }
      assertEquals(1, created, "the name is taken once; the others are refused as duplicates");
    }
  }
}

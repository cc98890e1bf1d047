package io.studiocp.emulators.moto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}

package io.studiocp.sandbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The base image itself is built and used for real in the end-to-end suite (a Dockerfile FROM busybox). */
class BaseImageTest {

  @Test
  void aDynamicallyLinkedProgramIsToldFromAStaticOne() throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    assertTrue(BaseImage.dynamic(java), "java needs its loader");
    Path busybox = Path.of("/bin/busybox");
    assertTrue(Files.exists(busybox), "busybox-static is installed (apt-get install busybox-static)");
    assertFalse(BaseImage.dynamic(busybox.toRealPath()), "busybox-static runs in an image with no libc");
  }

  @Test
  void aFileThatIsNoElfIsNotCalledDynamic(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path script = dir.resolve("script");
    Files.writeString(script, "#!/bin/sh\necho this is not an ELF file, but long enough to be read as one\n");
    assertFalse(BaseImage.dynamic(script));
  }
}

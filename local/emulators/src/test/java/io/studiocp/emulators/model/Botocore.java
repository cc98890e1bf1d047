package io.studiocp.emulators.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * botocore's own service models, as installed with python3's botocore: what the stand-ins are
 * checked against. A machine without botocore fails the checks with a message saying how to get it.
 */
public final class Botocore {

  private static final Map<String, ServiceModel> MODELS = new ConcurrentHashMap<>();
  private static volatile Path data;

  private Botocore() {}

  /** The newest model botocore has of {@code service} (e.g. {@code sagemaker}, {@code ssm}). */
  public static ServiceModel model(String service) {
    return MODELS.computeIfAbsent(service, Botocore::load);
  }

  /** botocore's version, for messages. */
  public static String version() {
    return python("import botocore; print(botocore.__version__)");
  }

  private static ServiceModel load(String service) {
    Path dir = dataDir().resolve(service);
    try (Stream<Path> versions = Files.list(dir)) {
      Path newest = versions.filter(Files::isDirectory).max(Comparator.comparing(Path::getFileName))
          .orElseThrow(() -> new IllegalStateException("botocore has no model of " + service + " in " + dir));
      Path plain = newest.resolve("service-2.json");
      return ServiceModel.read(Files.exists(plain) ? plain : newest.resolve("service-2.json.gz"));
    } catch (IOException e) {
      throw new IllegalStateException("botocore has no model of " + service + " in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Path dataDir() {
    if (data == null) {
      data = Path.of(python("import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), 'data'))"));
    }
    return data;
  }

  private static String python(String code) {
    String python = System.getenv().getOrDefault("STUDIOCP_PYTHON", "python3");
    String missing = "botocore is not importable by '" + python + "': the stand-ins are checked against "
        + "botocore's service models. Install it with: pip install botocore (or set STUDIOCP_PYTHON to a "
        + "Python that has it).";
    try {
      Process process = new ProcessBuilder(python, "-c", code).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(missing + "\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException(missing + " (" + e.getMessage() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking python for botocore", e);
    }
  }
}

package io.studiocp.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.studiocp.testkit.RepositoryFiles;

/** The repository under test, and the external checkers the tests run on it. */
final class Repository {

  private Repository() {}

  static Path root() {
    return RepositoryFiles.root();
  }


  /** A finished command: its exit code and everything it printed. */
  record Run(int exitCode, String output) {}

  static Run run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(root().toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Run(process.exitValue(), output);
  }

  /** template.yaml as JSON, read with cfn-lint's own CloudFormation-aware YAML decoder. */
  static JsonNode template() throws IOException, InterruptedException {
    Run decoded = run(List.of(python(), "-c",
        "import json,sys; from cfnlint.decode import decode; t, m = decode('template.yaml'); "
            + "sys.exit(json.dumps(m)) if t is None else print(json.dumps(t, default=str))"));
    if (decoded.exitCode() != 0) {
      throw new AssertionError("cannot read template.yaml with cfn-lint's decoder (pip install cfn-lint): "
          + decoded.output());
    }
    return new ObjectMapper().readTree(decoded.output());
  }

  static String python() {
    return System.getenv().getOrDefault("STUDIOCP_PYTHON", "python3");
  }

  static String cfnLint() {
    Path beside = Path.of(python()).toAbsolutePath().getParent();
    return beside != null && Files.isExecutable(beside.resolve("cfn-lint")) ? beside.resolve("cfn-lint").toString() : "cfn-lint";
  }

  static Path aslValidator() {
    Path validator = root().resolve("node_modules/.bin/asl-validator");
    if (!Files.isExecutable(validator)) {
      throw new AssertionError("asl-validator is not installed: run 'npm ci' in " + root()
          + " (make test does it)");
    }
    return validator;
  }
}

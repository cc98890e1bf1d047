package io.studiocp.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.lambda.LocalLambdas;
import io.studiocp.emulators.stepfunctions.AslDefinition;
import io.studiocp.emulators.stepfunctions.LocalStepFunctions;
import io.studiocp.functions.api.ApiHandler;
import io.studiocp.functions.hostevents.HostEventsHandler;
import io.studiocp.functions.police.PoliceHandler;
import io.studiocp.functions.provision.CompensateHandler;
import io.studiocp.functions.provision.LaunchHandler;
import io.studiocp.functions.provision.MarkReadyHandler;
import io.studiocp.functions.provision.PrepareHandler;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The whole control plane on one machine (DESIGN.md § Local sandbox): `make run` starts it,
 * Ctrl-C stops everything it started.
 */
public final class Sandbox implements AutoCloseable {

  private final List<AutoCloseable> started = new ArrayList<>();
  private final SandboxOptions options;
  private SandboxSeed seed;
  private String apiEndpoint;
  private String stepFunctionsEndpoint;
  private String stateMachineArn;
  private SandboxWorld world;
  private HostRunner hosts;
  private Path runtimeRoot;
  private Map<String, String> functionSettings = Map.of();

  private Sandbox(SandboxOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    SandboxOptions options;
    try {
      options = SandboxOptions.parse(Arrays.asList(args));
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println("sandbox: " + e.getMessage());
      }
      System.err.print(SandboxOptions.USAGE);
      System.exit(2);
      return;
    }
    System.setProperty("studiocp.sandbox.log", options.stateDir().resolve("functions.log").toString());
    System.setProperty("log4j2.configurationFile", "log4j2-sandbox.properties");
    Sandbox sandbox;
    try {
      sandbox = start(options);
    } catch (RuntimeException e) {
      System.err.println("sandbox: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log("stopping everything the sandbox started");
      sandbox.close();
      stopped.countDown();
    }));
    System.out.println(sandbox.banner());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts everything; on failure stops what was started and says what is missing. */
  static Sandbox start(SandboxOptions options) {
    Sandbox sandbox = new Sandbox(options);
    try {
      sandbox.startAll();
      return sandbox;
    } catch (RuntimeException e) {
      sandbox.close();
      throw e;
    }
  }

  private void startAll() {
    if (options.hosts()) {
      requireHostTools();
    }
    seed = SandboxSeed.read(options.seed());
    resetStateDir();
    world = started(SandboxWorld.start(seed));

    LocalLambdas lambdas = new LocalLambdas();
    LocalStepFunctions stepFunctions = started(LocalStepFunctions.start(0, lambdas,
        new LocalStepFunctions.Options(seed.region(), seed.accountId(), 1.0)));
    stepFunctionsEndpoint = stepFunctions.endpoint();
    Map<String, String> functionArns = new HashMap<>();
    for (String step : List.of("Prepare", "Launch", "MarkReady", "Compensate")) {
      functionArns.put(step, "arn:aws:lambda:" + seed.region() + ":" + seed.accountId() + ":function:studiocp-" + step + ":live");
    }
    stateMachineArn = stepFunctions.createStateMachine("ProvisionHost", AslDefinition.load(definition(), Map.of(
        "PrepareFunctionArn", functionArns.get("Prepare"),
        "LaunchFunctionArn", functionArns.get("Launch"),
        "MarkReadyFunctionArn", functionArns.get("MarkReady"),
        "CompensateFunctionArn", functionArns.get("Compensate"),
        "ProvisioningTimeoutSeconds", Integer.toString(options.launchTimeoutSeconds()),
        "HeartbeatSeconds", Integer.toString(options.heartbeatSeconds()))));

    functionSettings = functionSettings(seed);
    Env env = Env.of(functionSettings);
    lambdas.register(functionArns.get("Prepare"), new PrepareHandler(env))
        .register(functionArns.get("Launch"), new LaunchHandler(env))
        .register(functionArns.get("MarkReady"), new MarkReadyHandler(env))
        .register(functionArns.get("Compensate"), new CompensateHandler(env));

    // The gateway serves the routes the API function itself declares (template.yaml declares the same).
    ApiHandler api = new ApiHandler(env);
    List<ApiGateway.Route> routes = api.resources().entrySet().stream()
        .map(resource -> new ApiGateway.Route(resource.getKey(), resource.getValue())).toList();
    ApiGateway gateway = started(new ApiGateway(options.apiPort(),
        new SigV4Verifier(seed.credentials(), seed.region(), "execute-api", Clock.systemUTC()),
        api, "v1", routes, seed.accountId()));
    apiEndpoint = gateway.endpoint();
    SandboxAdmin admin = started(new SandboxAdmin(new PoliceHandler(env), world.moto,
        options.policeEveryMinutes() == null ? null : Duration.ofMinutes(options.policeEveryMinutes())));
    gateway.route("/_sandbox/", admin::serve);

    Ec2Client ec2 = started(new AwsClients(env).build(Ec2Client.builder(), "EC2"));
    List<InstanceWatcher.Listener> listeners = new ArrayList<>();
    listeners.add(new EventBridgeRule(new HostEventsHandler(env), seed.region(), seed.accountId()));
    if (options.hosts()) {
      hosts = started(new HostRunner(ec2, runtimeRoot()));
      listeners.add(hosts);
    }
    started(new InstanceWatcher(ec2, Duration.ofMillis(options.watchMillis()), listeners));

    UserFiles.write(options.stateDir(), seed, apiEndpoint);
    writeReadyFile(seed);
  }

  /** The functions' settings: what the template's parameters would set, pointed at the stand-ins. */
  private Map<String, String> functionSettings(SandboxSeed seed) {
    Map<String, String> settings = new HashMap<>(world.baseEnv);
    settings.put("AWS_ENDPOINT_URL_SAGEMAKER", world.standInEndpoint());
    settings.put("AWS_ENDPOINT_URL_SFN", stepFunctionsEndpoint);
    settings.put("STATE_MACHINE_ARN", stateMachineArn);
    settings.put("HOST_INSTANCE_PROFILE_ARN", world.hostInstanceProfileArn);
    settings.put("HOST_SFN_ENDPOINT", stepFunctionsEndpoint);
    settings.put("STUDIO_DOMAIN_IDS", String.join(",", seed.domains().stream().map(SandboxSeed.DomainSeed::domainId).toList()));
    settings.put("ADMIN_PRINCIPALS", seed.adminPrincipals());
    settings.put("STUDIO_HOME_PATH", options.stateDir().resolve("homes") + "/{userProfile}");
    settings.put("PROVISIONING_TIMEOUT_SECONDS", Integer.toString(options.launchTimeoutSeconds()));
    settings.put("AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API", world.taggingEndpoint());
    settings.put("POLICE_FROM_ADDRESS", seed.police().fromAddress());
    settings.put("POLICE_ADMIN_EMAILS", String.join(",", seed.police().adminEmails()));
    settings.put("POLICE_EMAIL_PATTERN", seed.police().emailPattern());
    settings.put("POLICE_POLICY", seed.police().policy());
    settings.put("SES_SANDBOX_MODE", "false");
    settings.putAll(options.settings());
    return settings;
  }

  private static String definition() {
    try (InputStream in = Sandbox.class.getResourceAsStream("/statemachine/provision-host.asl.json")) {
      if (in == null) {
        throw new IllegalStateException("statemachine/provision-host.asl.json is not packaged with the sandbox");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireHostTools() {
    for (String tool : List.of("dockerd", "docker", "openssl", "curl", "bash")) {
      if (!onPath(tool)) {
        throw new IllegalStateException(tool + " is not on the PATH; the sandbox runs a real dockerd per host. "
            + "On Debian: apt-get install docker.io openssl curl (or start with --no-hosts)");
      }
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException("dockerd needs root: run the sandbox as root (sudo make run), or with --no-hosts");
    }
  }

  private static boolean onPath(String tool) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  private void resetStateDir() {
    Path dir = options.stateDir();
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> paths = Files.walk(dir)) {
          paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      Files.createDirectories(dir.resolve("homes"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir, e);
    }
  }

  /** Instance roots live in a short /tmp path: dockerd's sockets must fit in 108 characters. */
  private Path runtimeRoot() {
    try {
      runtimeRoot = Files.createTempDirectory("scp-");
      return runtimeRoot;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeReadyFile(SandboxSeed seed) {
    if (options.readyFile() == null) {
      return;
    }
    ObjectNode ready = Json.mapper().createObjectNode();
    ready.put("api", apiEndpoint);
    ready.put("stepFunctions", stepFunctionsEndpoint);
    ready.put("stateMachineArn", stateMachineArn);
    ready.put("moto", world.moto.endpoint());
    ready.put("studio", world.standInEndpoint());
    ready.put("stateDir", options.stateDir().toString());
    ready.put("region", seed.region());
    ready.put("pid", ProcessHandle.current().pid());
    // What the functions are configured with, for tools that start a function on their own (bench/cold-start).
    ObjectNode settings = ready.putObject("functionSettings");
    new TreeMap<>(functionSettings).forEach(settings::put);
    ObjectNode users = ready.putObject("users");
    seed.users().forEach(u -> users.put(u.name(), UserFiles.envFile(options.stateDir(), u.name()).toString()));
    seed.admins().forEach(a -> users.put(a.name(), UserFiles.envFile(options.stateDir(), a.name()).toString()));
    try {
      Path temp = options.readyFile().resolveSibling(options.readyFile().getFileName() + ".tmp");
      Files.writeString(temp, ready.toPrettyString());
      Files.move(temp, options.readyFile(), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String banner() {
    List<String> users = seed.users().stream().map(SandboxSeed.User::name).toList();
    Path state = Path.of("").toAbsolutePath().relativize(options.stateDir());
    return """

        Studio Control Plane sandbox is up.
          API             %s   (SigV4, region %s, service execute-api)
          Step Functions  %s   (aws stepfunctions ... --endpoint-url %s)
          moto            %s
          Studio stand-in %s
          state           %s   (homes, users/*.env, functions.log)
          hosts           %s

        Act as a seeded user (%s; admin: %s):
          source %s/users/%s.env
          sdocker create-host --instance-type m5.large
          docker run --rm hello-world   # any image you have imported into the host

        Run the police now, and read the mail they sent (the seed has long-running apps):
          curl -s -X POST %s/_sandbox/police          # -d '{"dryRun": true}' for the plan alone
          curl -s %s/_sandbox/mail

        Ctrl-C stops everything.
        """.formatted(apiEndpoint, seed.region(), stepFunctionsEndpoint, stepFunctionsEndpoint,
        world.moto.endpoint(), world.standInEndpoint(), state,
        options.hosts() ? "a real dockerd per instance, under " + runtimeRoot : "none (--no-hosts)",
        String.join(", ", users), String.join(", ", seed.admins().stream().map(SandboxSeed.Admin::name).toList()),
        state, users.getFirst(), root(apiEndpoint), root(apiEndpoint));
  }

  private static String root(String endpoint) {
    return endpoint.substring(0, endpoint.lastIndexOf('/'));
  }

  private <T extends AutoCloseable> T started(T resource) {
    started.add(resource);
    return resource;
  }

  static void log(String message) {
    System.err.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " [sandbox] " + message);
  }

  @Override
  public void close() {
    List<AutoCloseable> reverse = new ArrayList<>(started);
    Collections.reverse(reverse);
    for (AutoCloseable resource : reverse) {
      try {
        resource.close();
      } catch (Exception e) {
        log("while stopping " + resource.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
    started.clear();
    if (runtimeRoot != null) {
      runtimeRoot.toFile().delete();
    }
  }

  // For tests in this module.
  String apiEndpoint() {
    return apiEndpoint;
  }

  HostRunner hosts() {
    return hosts;
  }
}

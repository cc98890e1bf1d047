package io.studiocp.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.lambda.LocalLambdas;
import io.studiocp.emulators.stepfunctions.AslDefinition;
import io.studiocp.emulators.stepfunctions.LocalStepFunctions;
import io.studiocp.functions.api.ApiHandler;
import io.studiocp.functions.hostevents.HostEventsHandler;
import io.studiocp.functions.admin.AdminHandler;
import io.studiocp.functions.admin.HomeUsageHandler;
import io.studiocp.functions.cleanup.CleanupHandler;
import io.studiocp.functions.police.PoliceHandler;
import io.studiocp.functions.provision.AbandonStartHandler;
import io.studiocp.functions.provision.BeginStartHandler;
import io.studiocp.functions.provision.FinishStartHandler;
import io.studiocp.functions.provision.ClaimHandler;
import io.studiocp.functions.provision.CompensateHandler;
import io.studiocp.functions.provision.LaunchHandler;
import io.studiocp.functions.provision.MarkReadyHandler;
import io.studiocp.functions.provision.RefillHandler;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The whole control plane on one machine (README.md, "The sandbox"; docs/architecture.md): `make run`
 * starts it, Ctrl-C or SIGTERM stops everything it started.
 */
public final class Sandbox implements AutoCloseable {

  private static volatile int failureStatus;

  private final List<AutoCloseable> started = new ArrayList<>();
  private final SandboxOptions options;
  private SandboxSeed seed;
  private String apiEndpoint;
  private String stepFunctionsEndpoint;
  private String stateMachineArn;
  private String startStateMachineArn;
  private final SandboxClock clock = new SandboxClock();
  private SandboxWorld world;
  private HostRunner hosts;
  private Keeper keeper;
  private SandboxSlot slot;
  private boolean closed;
  private Map<String, String> functionSettings = Map.of();

  private Sandbox(SandboxOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    SandboxOptions options;
    try {
      options = SandboxOptions.parse(Arrays.asList(args));
    } catch (SandboxOptions.HelpRequested e) {
      System.out.print(SandboxOptions.USAGE);
      System.exit(0);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("sandbox: " + e.getMessage());
      System.err.print(SandboxOptions.USAGE);
      System.exit(2);
      return;
    }
    System.setProperty("studiocp.sandbox.log", options.stateDir().resolve("functions.log").toString());
    System.setProperty("log4j2.configurationFile", "log4j2-sandbox.properties");
    Sandbox sandbox = new Sandbox(options);
    // Whatever ends the JVM short of SIGKILL stops everything first (SIGKILL is the keeper's to clean up).
    // Ctrl-C and SIGTERM are how a user or a script stops the sandbox: a stop, not a failure, so the
    // status is 0 then (and make reports no error); a signal the JVM found ignored, as a background
    // job's SIGINT, stays ignored.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (sandbox.running()) {
        log("stopping everything the sandbox started");
      }
      sandbox.close();
      Runtime.getRuntime().halt(failureStatus);
    }));
    try {
      sandbox.startAll();
    } catch (RuntimeException e) {
      if (sandbox.stopping()) {
        return; // a signal stopped it while it started: the shutdown hook finishes the stop
      }
      sandbox.close();
      System.err.println("sandbox: " + e.getMessage());
      fail(1);
      return;
    }
    System.out.println(sandbox.banner());
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends the JVM with this status (the shutdown hook stops everything first). */
  private static void fail(int status) {
    failureStatus = status;
    System.exit(status);
  }

  /** Starts everything; on failure the caller stops what was started. */
  private void startAll() {
    if (options.hosts()) {
      requireHostTools();
    }
    seed = SandboxSeed.read(options.seed());
    keeper = started(Keeper.start(Slots.defaultBase(), options.stateDir()));
    slot = keeper.slot();
    keeper.onDeath(() -> {
      log("the sandbox's keeper (pid " + keeper.pid() + ") died: stopping, so that no other sandbox takes "
          + "this sandbox's addresses while they are in use");
      fail(1);
    });
    Map<String, String> marker = Map.of(SandboxSlot.MARKER, slot.dir().toString());
    resetStateDir();
    world = started(SandboxWorld.start(seed, slot, marker));

    LocalLambdas lambdas = new LocalLambdas();
    LocalStepFunctions stepFunctions = started(LocalStepFunctions.start(0, lambdas,
        new LocalStepFunctions.Options(seed.region(), seed.accountId(), 1.0, clock)));
    stepFunctionsEndpoint = stepFunctions.endpoint();
    Map<String, String> functionArns = new HashMap<>();
    for (String step : List.of("Prepare", "Launch", "MarkReady", "Compensate", "Claim", "Refill", "BeginStart",
        "FinishStart", "AbandonStart")) {
      functionArns.put(step, "arn:aws:lambda:" + seed.region() + ":" + seed.accountId() + ":function:studiocp-" + step + ":live");
    }
    stateMachineArn = stepFunctions.createStateMachine("ProvisionHost", AslDefinition.load(definition("provision-host.asl.json"), Map.of(
        "PrepareFunctionArn", functionArns.get("Prepare"),
        "LaunchFunctionArn", functionArns.get("Launch"),
        "MarkReadyFunctionArn", functionArns.get("MarkReady"),
        "CompensateFunctionArn", functionArns.get("Compensate"),
        "ClaimFunctionArn", functionArns.get("Claim"),
        "RefillFunctionArn", functionArns.get("Refill"),
        "ClaimTimeoutSeconds", "90",
        "ProvisioningTimeoutSeconds", Integer.toString(options.launchTimeoutSeconds()),
        "HeartbeatSeconds", Integer.toString(options.heartbeatSeconds()))));
    startStateMachineArn = stepFunctions.createStateMachine("StartHost", AslDefinition.load(
        definition("start-host.asl.json"), Map.of(
        "BeginStartFunctionArn", functionArns.get("BeginStart"),
        "FinishStartFunctionArn", functionArns.get("FinishStart"),
        "AbandonStartFunctionArn", functionArns.get("AbandonStart"),
        "ProvisioningTimeoutSeconds", Integer.toString(options.launchTimeoutSeconds()),
        "HeartbeatSeconds", Integer.toString(options.heartbeatSeconds()))));

    functionSettings = functionSettings(seed);
    Env env = Env.of(functionSettings);
    lambdas.register(functionArns.get("Prepare"), new PrepareHandler(own("PrepareFunction")))
        .register(functionArns.get("Launch"), new LaunchHandler(own("LaunchFunction")))
        .register(functionArns.get("MarkReady"), new MarkReadyHandler(own("MarkReadyFunction"), clock))
        .register(functionArns.get("Compensate"), new CompensateHandler(own("CompensateFunction")))
        .register(functionArns.get("Claim"), new ClaimHandler(own("ClaimFunction")))
        .register(functionArns.get("Refill"), new RefillHandler(own("RefillFunction"), clock))
        .register(functionArns.get("BeginStart"), new BeginStartHandler(own("BeginStartFunction"), clock))
        .register(functionArns.get("FinishStart"), new FinishStartHandler(own("FinishStartFunction"), clock))
        .register(functionArns.get("AbandonStart"), new AbandonStartHandler(own("AbandonStartFunction"), clock));

    // The gateway serves the routes the API function itself declares (template.yaml declares the same).
    ApiHandler api = new ApiHandler(own("ApiFunction"), clock);
    List<ApiGateway.Route> routes = api.resources().entrySet().stream()
        .map(resource -> new ApiGateway.Route(resource.getKey(), resource.getValue())).toList();
    ApiGateway gateway = started(new ApiGateway(options.apiPort() == null ? slot.defaultApiPort() : options.apiPort(),
        new SigV4Verifier(seed.credentials(), seed.region(), "execute-api", Clock.systemUTC()),
        api, "v1", routes, seed.accountId()));
    apiEndpoint = gateway.endpoint();
    SandboxAdmin admin = started(new SandboxAdmin(
        new SandboxAdmin.Scheduled("police", new PoliceHandler(own("PoliceFunction"), clock),
            options.policeEveryMinutes() == null ? null : Duration.ofMinutes(options.policeEveryMinutes())),
        new SandboxAdmin.Scheduled("cleanup", new CleanupHandler(own("CleanupFunction"), clock),
            Duration.ofMinutes(options.cleanupEveryMinutes())),
        new SandboxAdmin.Scheduled("admin", new AdminHandler(own("AdminFunction"), clock), null),
        new SandboxAdmin.Scheduled("home-usage", new HomeUsageHandler(own("HomeUsageFunction"), clock), null),
        world.mail, clock));
    gateway.route("/_sandbox/", admin::serve);

    Ec2Client ec2 = started(new AwsClients(env).build(Ec2Client.builder(), "EC2"));
    List<InstanceWatcher.Listener> listeners = new ArrayList<>();
    EventBridgeRule rules = new EventBridgeRule(new HostEventsHandler(own("HostEventsFunction"), clock), seed.region(),
        seed.accountId(), Set.of(stateMachineArn, startStateMachineArn));
    stepFunctions.onExecutionEnd(rules::executionEnded);
    listeners.add(rules);
    if (options.hosts()) {
      hosts = started(new HostRunner(ec2, slot, Map.of(
          "SDOCKER_LOCAL_CLOCK_URL", apiEndpoint.substring(0, apiEndpoint.lastIndexOf('/')) + "/_sandbox/clock",
          "SDOCKER_EC2_ENDPOINT", world.moto.endpoint(),
          "SDOCKER_ACTIVITY_SECONDS", "2",
          "SDOCKER_ACTIVE_CPU_PERCENT", "0")));
      listeners.add(hosts);
    }
    started(new InstanceWatcher(ec2, Duration.ofMillis(options.watchMillis()), listeners));

    UserFiles.write(options.stateDir(), seed, apiEndpoint);
    writeReadyFile(seed);
  }

  /** One function's settings: the shared ones and its own service name, by its logical id in template.yaml. */
  private Env own(String function) {
    return ServiceNames.env(functionSettings, function);
  }

  /** The functions' settings: what the template's parameters would set, pointed at the stand-ins. */
  private Map<String, String> functionSettings(SandboxSeed seed) {
    Map<String, String> settings = new HashMap<>(world.baseEnv);
    settings.put("AWS_ENDPOINT_URL_SAGEMAKER", world.standInEndpoint());
    settings.put("AWS_ENDPOINT_URL_SFN", stepFunctionsEndpoint);
    settings.put("STATE_MACHINE_ARN", stateMachineArn);
    settings.put("START_STATE_MACHINE_ARN", startStateMachineArn);
    settings.put("HOST_INSTANCE_PROFILE_ARN", world.hostInstanceProfileArn);
    settings.put("HOST_SFN_ENDPOINT", stepFunctionsEndpoint);
    // Warm pool hosts (--set WARM_POOL=...) wait on moto's SQS queues; the cleanup fills the pool.
    settings.put("HOST_SQS_ENDPOINT", world.moto.endpoint());
    settings.put("STUDIO_DOMAIN_IDS", String.join(",", seed.domains().stream().map(SandboxSeed.DomainSeed::domainId).toList()));
    settings.put("ADMIN_PRINCIPALS", seed.adminPrincipals());
    settings.put("STUDIO_HOME_PATH", options.stateDir().resolve("homes") + "/{userProfile}");
    // The home usage job measures the local homes, as it measures the domain's EFS in AWS.
    settings.put("HOME_USAGE_PATH", options.stateDir().resolve("homes") + "/{userProfile}");
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

  private static String definition(String file) {
    try (InputStream in = Sandbox.class.getResourceAsStream("/statemachine/" + file)) {
      if (in == null) {
        throw new IllegalStateException("statemachine/" + file + " is not packaged with the sandbox");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireHostTools() {
    for (String tool : List.of("dockerd", "docker", "openssl", "curl", "bash", "ip")) {
      if (!onPath(tool)) {
        throw new IllegalStateException(tool + " is not on the PATH; the sandbox runs a real dockerd per host. "
            + "On Debian: apt-get install docker.io openssl curl iproute2 (or start with --no-hosts)");
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
    ready.put("ssm", world.ssmEndpoint());
    ready.put("stateDir", options.stateDir().toString());
    ready.put("region", seed.region());
    ready.put("pid", ProcessHandle.current().pid());
    ready.put("keeperPid", keeper.pid());
    ready.put("motoPid", world.moto.pid());
    ready.put("slot", slot.number());
    ready.put("runtimeDir", slot.dir().toString());
    ready.put("hostAddresses", slot.hostAddresses());
    ready.put("hostNetworks", slot.hostNetworks());
    // What the functions are configured with, for tools that start a function on their own (bench/cold-start).
    ObjectNode settings = ready.putObject("functionSettings");
    new TreeMap<>(functionSettings).forEach(settings::put);
    ObjectNode users = ready.putObject("users");
    seed.users().forEach(u -> users.put(u.name(), UserFiles.envFile(options.stateDir(), u.name()).toString()));
    seed.admins().forEach(a -> users.put(a.name(), UserFiles.envFile(options.stateDir(), a.name()).toString()));
    seed.laptops().forEach(l -> users.put(l.name(), UserFiles.envFile(options.stateDir(), l.name()).toString()));
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
    String hostsLine = options.hosts()
        ? "a real dockerd per instance at %s, its Docker networks in %s, disks under %s".formatted(
            slot.hostAddresses(), slot.hostNetworks(), slot.dir())
        : "none (--no-hosts)";
    return """

        Studio Control Plane sandbox is up (slot %d, pid %d).
          API             %s   (SigV4, region %s, service execute-api)
          Step Functions  %s   (aws stepfunctions list-state-machines --endpoint-url %s)
          moto            %s
          Studio stand-in %s
          SSM stand-in    %s   (hybrid activations, managed nodes; the rest goes to moto)
          state           %s   (homes, users/*.env, functions.log)
          hosts           %s

        Act as a seeded user (%s; admin: %s):
          source %s/users/%s.env
          sdocker create-host --instance-type m5.large
          docker run --rm busybox echo hello   # each host starts with %s, built here (no registry
                                               # is reachable), so a Dockerfile can say FROM busybox

        Run the police now, and read the mail they sent (the seed has long-running apps):
          curl -s -X POST %s/_sandbox/police          # -d '{"dryRun": true}' for the plan alone
        The admin console (the events in events/admin-*.json), and the users' home usage:
          curl -s -X POST %s/_sandbox/admin -d '{"action": "report"}'
          curl -s -X POST %s/_sandbox/home-usage
          curl -s %s/_sandbox/mail

        Ctrl-C stops everything. From another shell, kill %d (SIGTERM) does the same.
        """.formatted(slot.number(), ProcessHandle.current().pid(), apiEndpoint, seed.region(), stepFunctionsEndpoint,
        stepFunctionsEndpoint, world.moto.endpoint(), world.standInEndpoint(), world.ssmEndpoint(), state, hostsLine,
        String.join(", ", users), String.join(", ", seed.admins().stream().map(SandboxSeed.Admin::name).toList()),
        state, users.getFirst(), BaseImage.NAME, root(apiEndpoint), root(apiEndpoint), root(apiEndpoint),
        root(apiEndpoint),
        ProcessHandle.current().pid());
  }

  private static String root(String endpoint) {
    return endpoint.substring(0, endpoint.lastIndexOf('/'));
  }

  /** Registers what was started, to be stopped in reverse; if the sandbox is stopping already, stops it now. */
  private synchronized <T extends AutoCloseable> T started(T resource) {
    if (closed) {
      closeQuietly(resource);
      throw new IllegalStateException("stopped while starting");
    }
    started.add(resource);
    return resource;
  }

  private synchronized boolean running() {
    return !closed && !started.isEmpty();
  }

  private synchronized boolean stopping() {
    return closed;
  }

  static void log(String message) {
    System.err.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " [sandbox] " + message);
  }

  @Override
  public synchronized void close() {
    closed = true;
    List<AutoCloseable> reverse = new ArrayList<>(started);
    Collections.reverse(reverse);
    reverse.forEach(Sandbox::closeQuietly);
    started.clear();
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      log("while stopping " + resource.getClass().getSimpleName() + ": " + e.getMessage());
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

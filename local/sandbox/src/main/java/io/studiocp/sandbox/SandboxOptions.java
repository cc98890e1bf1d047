package io.studiocp.sandbox;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The sandbox's command line. */
record SandboxOptions(Path seed, Path stateDir, Integer apiPort, int launchTimeoutSeconds, int heartbeatSeconds,
    boolean hosts, Map<String, String> settings, Path readyFile, int watchMillis, Integer policeEveryMinutes,
    int cleanupEveryMinutes) {

  static final String USAGE = """
      usage: sandbox [options]
        --seed FILE              who and what exists (default: local/seed.json)
        --state-dir DIR          homes, user files, logs; wiped at start (default: .run/sandbox);
                                 one sandbox at a time per directory
        --api-port PORT          where the API listens on 127.0.0.1 (default: 8480 + the sandbox's
                                 slot, so 8480 for the first sandbox on a machine; 0 picks a free port)
        --launch-timeout SECONDS how long a host may take to report ready (default: 300)
        --heartbeat SECONDS      the longest silence of a booting host (default: 120)
        --no-hosts               launch no dockerd (instances stay plain moto instances)
        --set NAME=VALUE         a function setting, as a template parameter would set it (repeatable),
                                 for example --set MAX_HOSTS_PER_USER=3
        --ready-file FILE        write the endpoints there as JSON once everything is up
        --watch-interval MS      how often EC2 is read for state changes (default: 100)
        --police-every MINUTES   run the police on a schedule too (default: only on demand,
                                 POST /_sandbox/police)
        --cleanup-every MINUTES  run the cleanup on a schedule (default: 15, as deployed; 0 for
                                 only on demand, POST /_sandbox/cleanup)
        -h, --help               this text

      Ctrl-C or SIGTERM stops everything the sandbox started (exit status 0).
      """;

  /** {@code --help}: the usage is the answer, not an error. */
  static final class HelpRequested extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    HelpRequested() {
      super("help");
    }
  }

  static SandboxOptions parse(List<String> args) {
    Path seed = Path.of("local/seed.json");
    Path stateDir = Path.of(".run/sandbox");
    Integer apiPort = null;
    int launchTimeout = 300;
    int heartbeat = 120;
    boolean hosts = true;
    Map<String, String> settings = new LinkedHashMap<>();
    Path readyFile = null;
    int watchMillis = 100;
    Integer policeEvery = null;
    int cleanupEvery = 15;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--seed" -> seed = Path.of(value(args, ++i, arg));
        case "--state-dir" -> stateDir = Path.of(value(args, ++i, arg));
        case "--api-port" -> apiPort = number(value(args, ++i, arg), arg, 0, 65535);
        case "--launch-timeout" -> launchTimeout = number(value(args, ++i, arg), arg, 5, 3600);
        case "--heartbeat" -> heartbeat = number(value(args, ++i, arg), arg, 5, 3600);
        case "--no-hosts" -> hosts = false;
        case "--set" -> {
          String setting = value(args, ++i, arg);
          int eq = setting.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--set takes NAME=VALUE, got '" + setting + "'");
          }
          settings.put(setting.substring(0, eq), setting.substring(eq + 1));
        }
        case "--ready-file" -> readyFile = Path.of(value(args, ++i, arg));
        case "--watch-interval" -> watchMillis = number(value(args, ++i, arg), arg, 20, 60000);
        case "--police-every" -> policeEvery = number(value(args, ++i, arg), arg, 1, 1440);
        case "--cleanup-every" -> cleanupEvery = number(value(args, ++i, arg), arg, 0, 1440);
        case "-h", "--help" -> throw new HelpRequested();
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    return new SandboxOptions(seed.toAbsolutePath(), stateDir.toAbsolutePath(), apiPort, launchTimeout, heartbeat,
        hosts, Map.copyOf(settings), readyFile == null ? null : readyFile.toAbsolutePath(), watchMillis,
        policeEvery, cleanupEvery);
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(i);
  }

  private static int number(String text, String option, int min, int max) {
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // falls through to the message
    }
    throw new IllegalArgumentException(option + " takes a number from " + min + " to " + max + ", got '" + text + "'");
  }
}

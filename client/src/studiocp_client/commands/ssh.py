"""SSH over SSM into my Studio apps and Docker hosts (seeds 001 and 003), over the API's /ssh routes:

    sdocker ssh register [--space NAME | --app NAME]   # in Studio: register this app with SSM, keep the agent
                                                      #   and an sshd (127.0.0.1:2222) running
    sdocker ssh config mi-... [--name ALIAS]          # on the laptop: ~/.ssh/config entry + your public key
    sdocker ssh config --space NAME                   #   for a space: SageMaker's own remote access when the
                                                      #   space has it on, else its SSM registration
    sdocker ssh proxy --space NAME                    # the entry's ProxyCommand on the native path
    sdocker ssh list [--all] | remove mi-...          # your registered targets; deregister one
    sdocker ssh HOSTID                                # a Session Manager shell on your own Docker host

Nothing here has AWS rights of its own: the activation comes from the API (execute-api:Invoke), the
session from the caller's `ssm:StartSession`, which the shipped SshUserPolicy allows only on what
carries their own `studiocp:owner` tag. On the native path the API starts the session
(`sagemaker:StartSession` on the space, after checking the caller may open it) and the Session
Manager plugin connects to the stream it answers. The SSM agent, sshd and `aws ssm start-session` (with the
Session Manager plugin) are the real programs; this module starts them and writes their files.
"""
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import zipimport

from ..arguments import group, port
from ..config import SpaceClaim, app_metadata, metadata_path
from ..errors import EXIT_OK, EXIT_USAGE, CommandError
from ..log import log
from ..output import print_json, row, when

NODE_ID = re.compile(r"^mi-[0-9a-f]{17}$")
HOST_ID = re.compile(r"^h-[0-9a-f]{16}$")
COLUMNS = (("TARGET", 21), ("WHAT", 26), ("AGENT", 15), ("REGISTERED", 24), ("KEY", 4))
REGISTRATION = "/var/lib/amazon/ssm/registration"
SSHD_PORT = 2222
SYNC_SECONDS = 30
BEGIN, END = "# >>> sdocker ssh %s >>>", "# <<< sdocker ssh %s <<<"


def register(commands, common):
    """Adds `sdocker ssh` and its commands (`sdocker ssh HOSTID` is `sdocker ssh host HOSTID`)."""
    ssh = group(commands, "ssh", common, help="SSH into your Studio apps and Docker hosts over SSM")

    reg = ssh.add_parser("register", parents=[common],
                         help="in Studio: register this app with SSM and keep its agent and sshd running")
    what = reg.add_mutually_exclusive_group()
    what.add_argument("--space", help="the space this app runs in (default: the app's metadata)")
    what.add_argument("--app", help="an app of your profile, by name (classic Studio; default: the metadata)")
    reg.add_argument("--sshd-port", type=port, default=SSHD_PORT, help="where sshd listens on 127.0.0.1 "
                     "(default %d; the laptop's entry uses the same)" % SSHD_PORT)
    reg.add_argument("--agent", help="the amazon-ssm-agent program (default: on the PATH)")
    reg.add_argument("--once", action="store_true",
                     help="register, start the agent and sshd, put the key in place, and return (no supervision)")
    reg.set_defaults(run=register_command, needs_identity=True)

    cfg = ssh.add_parser("config", parents=[common],
                         help="on the laptop: an ~/.ssh/config entry for a target (and your public key on it)")
    cfg.add_argument("target", metavar="ID", nargs="?", help="the target's id (mi-..., see 'sdocker ssh list')")
    cfg.add_argument("--space", help="a space instead of an id: SageMaker's own remote access when the space has "
                     "it on, else the space's SSM registration (sdocker ssh register)")
    cfg.add_argument("--name", help="the Host alias to write (default sdocker-<target>)")
    cfg.add_argument("--identity-file", default="~/.ssh/id_ed25519",
                     help="your private key; its .pub goes to the target (default ~/.ssh/id_ed25519)")
    cfg.add_argument("--user", default="sagemaker-user", help="the user in the app (default sagemaker-user)")
    cfg.add_argument("--port", type=port, default=SSHD_PORT, help="the app's sshd port (default %d)" % SSHD_PORT)
    cfg.add_argument("--forward-agent", action="store_true", help="ForwardAgent yes (git over SSH in the app)")
    cfg.add_argument("--ssh-config", default="~/.ssh/config", help="the file to write (default ~/.ssh/config)")
    cfg.set_defaults(run=config_command, needs_identity=True)

    proxy = ssh.add_parser("proxy", parents=[common], help="the ProxyCommand of a native entry: a session "
                           "through SageMaker's remote access to a space, handed to session-manager-plugin")
    proxy.add_argument("--space", required=True, help="the space to connect to")
    proxy.add_argument("--plugin", help="the Session Manager plugin (default: session-manager-plugin on the PATH)")
    proxy.set_defaults(run=proxy_command, needs_identity=True)

    listing = ssh.add_parser("list", parents=[common], help="your registered targets, online or not")
    listing.add_argument("--all", action="store_true", help="every user's (admins)")
    listing.set_defaults(run=list_command)

    remove = ssh.add_parser("remove", parents=[common], help="deregister one of your targets")
    remove.add_argument("target", metavar="ID")
    remove.set_defaults(run=remove_command)

    host = ssh.add_parser("host", parents=[common], help="a Session Manager shell on your own Docker host "
                          "(also: sdocker ssh HOSTID)")
    host.add_argument("host_id", metavar="HOSTID")
    host.add_argument("--print", action="store_true", help="print the command instead of running it")
    host.set_defaults(run=host_command, needs_identity=True)


def rewrite(argv):
    """`sdocker ssh HOSTID ...` as `sdocker ssh host HOSTID ...`."""
    argv = list(argv)
    for i, arg in enumerate(argv[:-1]):
        if arg == "ssh" and HOST_ID.match(argv[i + 1]):
            return argv[:i + 1] + ["host"] + argv[i + 1:]
        if arg == "ssh":
            break
    return argv


# ---- in Studio ------------------------------------------------------------------------------

def _target(args):
    if args.space:
        return {"space": args.space}
    if args.app:
        return {"app": args.app}
    metadata = app_metadata(args)
    if metadata.get("SpaceName"):
        return {"space": metadata["SpaceName"]}
    if metadata.get("AppName"):
        return {"app": metadata["AppName"]}
    raise CommandError("cannot tell which app this is from %s: pass --space NAME or --app NAME"
                       % metadata_path(args), EXIT_USAGE)


def _program(name, given=None, install=""):
    found = given or shutil.which(name) or next((p for p in ("/usr/bin/" + name, "/usr/sbin/" + name)
                                                 if os.access(p, os.X_OK)), None)
    if not found or not os.access(found, os.X_OK):
        raise CommandError("%s is not installed here%s" % (name, install), EXIT_USAGE)
    return found


def _as_root(command):
    """The agent registers and runs as root (it writes /var/lib/amazon/ssm); sudo when we are not."""
    if os.geteuid() == 0:
        return command
    sudo = shutil.which("sudo")
    if not sudo:
        raise CommandError("the SSM agent must run as root and sudo is missing: enable root access for the "
                           "domain's apps, or run as root", EXIT_USAGE)
    return [sudo, "-n"] + command


def ssh_dir():
    return os.path.join(os.path.expanduser("~"), ".sdocker", "ssh")


def register_command(args, api):
    agent = _program("amazon-ssm-agent", args.agent, ": install it in the image or a lifecycle configuration "
                     "(https://docs.aws.amazon.com/systems-manager/latest/userguide/hybrid-multicloud-ssm-agent-"
                     "install-linux.html), then run this again")
    sshd = _program("sshd", None, ": install openssh-server (apt-get install openssh-server, or conda install "
                    "-c conda-forge openssh)")
    target = _target(args)
    activation = api.call("POST", "/ssh/activations", body={"target": target})
    what = "%s %s" % tuple(next(iter(target.items())))
    print("activation %s for %s, until %s" % (activation["activationId"], what, when(activation["expiresAt"])),
          file=sys.stderr)
    if activation.get("spaceRemoteAccess"):
        print("note: space %s has SageMaker's own remote access on; from your laptop, 'sdocker ssh config --space %s' "
              "reaches it without this agent (no activation, no advanced-tier cost). Registering anyway."
              % (target.get("space"), target.get("space")), file=sys.stderr)
    register_line = [agent, "-register", "-y", "-code", activation["activationCode"], "-id",
                     activation["activationId"], "-region", activation["region"]]
    result = subprocess.run(_as_root(register_line), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True)
    log("amazon-ssm-agent -register: %s %s" % (result.returncode, result.stdout.strip()))
    if result.returncode != 0:
        raise CommandError("amazon-ssm-agent could not register (exit %d): %s" % (
            result.returncode, result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "no output"))
    node = _registered_node()
    print("registered as %s" % node, file=sys.stderr)
    files = _sshd_files(args.sshd_port)
    supervisor = Supervisor([("amazon-ssm-agent", _as_root([agent])),
                             ("sshd", [sshd, "-D", "-e", "-f", files["config"]])])
    supervisor.start()
    sync_keys(api, node, files["authorized_keys"])
    if args.json:
        print_json({"id": node, "target": target, "sshdPort": args.sshd_port})
    else:
        print(node)
    print("on your laptop: sdocker ssh config %s" % node, file=sys.stderr)
    if args.once:
        return EXIT_OK
    print("keeping the SSM agent and sshd running; Ctrl-C stops both (the target is deregistered by "
          "'sdocker ssh remove %s' or by the cleanup once this app is gone)" % node, file=sys.stderr)
    try:
        while True:
            time.sleep(SYNC_SECONDS)
            supervisor.restart_dead()
            try:
                sync_keys(api, node, files["authorized_keys"])
            except CommandError as e:
                log("key sync failed: %s" % e)
    except KeyboardInterrupt:
        supervisor.stop()
        print("stopped the SSM agent and sshd", file=sys.stderr)
        return EXIT_OK


def _registered_node():
    path = os.environ.get("SDOCKER_SSM_REGISTRATION", REGISTRATION)
    try:
        with open(path) as f:
            node = json.load(f).get("ManagedInstanceID", "")
    except (OSError, ValueError) as e:
        raise CommandError("the SSM agent registered but %s cannot be read (%s); see the agent's log" % (path, e))
    if not NODE_ID.match(node):
        raise CommandError("the SSM agent's registration %s names no managed node (%r)" % (path, node))
    return node


def _sshd_files(sshd_port):
    """An sshd of the user's own: its host key, config and authorized keys under ~/.sdocker/ssh, on
    127.0.0.1 only (the agent forwards Session Manager's stream to it), keys only, agent forwarding on."""
    base = ssh_dir()
    os.makedirs(base, mode=0o700, exist_ok=True)
    host_key = os.path.join(base, "ssh_host_ed25519_key")
    if not os.path.exists(host_key):
        keygen = _program("ssh-keygen", None, ": install openssh-client")
        subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", host_key], check=True)
    authorized = os.path.join(base, "authorized_keys")
    if not os.path.exists(authorized):
        with open(authorized, "w"):
            pass
        os.chmod(authorized, 0o600)
    config = os.path.join(base, "sshd_config")
    with open(config, "w") as f:
        f.write("\n".join([
            "# written by sdocker ssh register",
            "ListenAddress 127.0.0.1",
            "Port %d" % sshd_port,
            "HostKey %s" % host_key,
            "AuthorizedKeysFile %s" % authorized,
            "PidFile %s" % os.path.join(base, "sshd.pid"),
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "AllowAgentForwarding yes",
            "AllowTcpForwarding yes",
            "StrictModes no",
            "UsePAM no",
            "",
        ]))
    return {"config": config, "authorized_keys": authorized, "host_key": host_key}


def sync_keys(api, node, authorized_keys):
    """The public key the owner's laptop put on this node (sdocker ssh config), in authorized_keys."""
    targets = api.call("GET", "/ssh/targets").get("targets", [])
    keys = [t["publicKey"] for t in targets if t.get("id") == node and t.get("publicKey")]
    lines = ["%s sdocker-ssh-config" % k for k in keys]
    try:
        with open(authorized_keys) as f:
            current = f.read().splitlines()
    except OSError:
        current = []
    kept = [line for line in current if not line.endswith(" sdocker-ssh-config")]
    wanted = kept + lines
    if wanted != current:
        with open(authorized_keys, "w") as f:
            f.write("".join(line + "\n" for line in wanted))
        os.chmod(authorized_keys, 0o600)
        log("authorized_keys: %d key(s) from sdocker ssh config" % len(lines))
    return keys


class Supervisor:
    """Keeps the agent and sshd running: starts them, restarts one that exits, stops both."""

    def __init__(self, programs):
        self.programs = programs
        self.running = {}

    def start(self):
        for name, command in self.programs:
            self._spawn(name, command)

    def _spawn(self, name, command):
        log("starting %s: %s" % (name, " ".join(shlex.quote(c) for c in command)))
        out = open(os.path.join(ssh_dir(), name + ".log"), "a")
        self.running[name] = (command, subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                                        start_new_session=True))

    def restart_dead(self):
        for name, (command, process) in list(self.running.items()):
            if process.poll() is not None:
                print("%s exited (%s); starting it again" % (name, process.returncode), file=sys.stderr)
                self._spawn(name, command)

    def stop(self):
        for name, (command, process) in self.running.items():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()


# ---- on the laptop --------------------------------------------------------------------------

def config_command(args, api):
    if bool(args.target) == bool(args.space):
        raise CommandError("name one target: an id (sdocker ssh config mi-...) or a space (sdocker ssh config "
                           "--space NAME)", EXIT_USAGE)
    if args.space:
        return _config_space(args, api)
    if not NODE_ID.match(args.target):
        raise CommandError("'%s' is not a target id (mi- and 17 hex digits; see 'sdocker ssh list')" % args.target,
                           EXIT_USAGE)
    return _config_node(args, api, args.target)


def _public_key(args):
    public = os.path.expanduser(args.identity_file) + ".pub"
    try:
        with open(public) as f:
            return public, f.read().strip()
    except OSError:
        raise CommandError("no public key %s: make a key pair with ssh-keygen -t ed25519 -f %s (or pass "
                           "--identity-file)" % (public, args.identity_file), EXIT_USAGE)


def _config_space(args, api):
    """The native path when the space has SageMaker's remote access on, else its SSM registration."""
    space = api.call("GET", "/ssh/spaces/%s" % urllib.parse.quote(args.space, safe=""))
    if space.get("path") != "native":
        node = _space_node(api, args.space)
        print("path: SSM (space %s has SageMaker's remote access off); using its registration %s"
              % (args.space, node), file=sys.stderr)
        return _config_node(args, api, node, path_name="ssm")
    _public_key(args)
    alias = args.name or "sdocker-" + _alias({"space": args.space}, args.space)
    proxy = [_self_program(), "ssh", "proxy", "--space", args.space, "--endpoint", api.endpoint, "--region",
             api.region]
    if api.identity and not isinstance(api.identity, SpaceClaim):
        proxy += ["--domain-id", api.identity[0], "--user-profile", api.identity[1]]
    if api.profile:
        proxy += ["--profile", api.profile]
    entry = [
        BEGIN % alias,
        "Host %s" % alias,
        "  HostName %s" % space.get("arn", args.space),
        "  HostKeyAlias %s" % alias,
        "  User %s" % args.user,
        "  IdentityFile %s" % args.identity_file,
        "  IdentitiesOnly yes",
        "  ForwardAgent %s" % ("yes" if args.forward_agent else "no"),
        "  ServerAliveInterval 30",
        "  StrictHostKeyChecking accept-new",
        "  ProxyCommand %s" % " ".join(shlex.quote(p) for p in proxy),
        END % alias,
    ]
    path = os.path.expanduser(args.ssh_config)
    write_entry(path, alias, entry)
    if args.json:
        print_json({"alias": alias, "space": args.space, "path": "native", "arn": space.get("arn"),
                    "sshConfig": path})
        return EXIT_OK
    print(alias)
    print("path: native (SageMaker's remote access is on for space %s: no agent, no activation; each connection "
          "asks the API for a session and hands it to session-manager-plugin)" % args.space, file=sys.stderr)
    if not space.get("running"):
        print("space %s runs no app now: start it (sdocker studio up --space %s) before you connect"
              % (args.space, args.space), file=sys.stderr)
    print("wrote Host %s to %s; connect: ssh %s (VS Code: Remote-SSH, host %s)" % (
        alias, args.ssh_config, alias, alias), file=sys.stderr)
    return EXIT_OK


def _space_node(api, space):
    """The space's SSM registration: an online one first, the newest of equals."""
    nodes = [t for t in api.call("GET", "/ssh/targets").get("targets", [])
             if (t.get("target") or {}).get("space") == space and NODE_ID.match(t.get("id", ""))]
    if not nodes:
        raise CommandError("space %s has SageMaker's remote access off and no SSM registration: run 'sdocker ssh "
                           "register' in a terminal of the space, then this again (or have its remote access "
                           "turned on: RemoteAccess=ENABLED in its space settings)" % space)
    nodes.sort(key=lambda t: (t.get("pingStatus") == "Online", t.get("registeredAt") or ""), reverse=True)
    return nodes[0]["id"]


def _self_program():
    """This sdocker, as a ProxyCommand can run it: the built file it runs from, else sdocker on the PATH."""
    loader = getattr(sys.modules[__package__.rpartition(".")[0]], "__loader__", None)
    if isinstance(loader, zipimport.zipimporter):
        return os.path.abspath(loader.archive)
    return shutil.which("sdocker") or "sdocker"


def proxy_command(args, api):
    """Asks the API for a session to the space and hands it to the Session Manager plugin, which carries
    this process's stdin and stdout (ssh's ProxyCommand stream): nothing may go to stdout here."""
    plugin = args.plugin or shutil.which("session-manager-plugin")
    if not plugin or not os.access(plugin, os.X_OK):
        raise CommandError("session-manager-plugin is not installed: https://docs.aws.amazon.com/systems-manager/"
                           "latest/userguide/session-manager-working-with-install-plugin.html", EXIT_USAGE)
    answer = api.call("POST", "/ssh/spaces/%s/session" % urllib.parse.quote(args.space, safe=""))
    session = answer["session"]
    log("remote-access session %s to %s" % (session.get("SessionId"), answer.get("arn")))
    return subprocess.call([plugin, json.dumps(session), answer.get("region", api.region), "StartSession"])


def _config_node(args, api, target, path_name=None):
    public, key = _public_key(args)
    node = api.call("POST", "/ssh/targets/%s/key" % target, body={"publicKey": key})
    args.target = target
    alias = args.name or "sdocker-" + _alias(node.get("target"), args.target)
    proxy = ["aws", "ssm", "start-session", "--target", "%h", "--document-name", "AWS-StartSSHSession",
             "--parameters", "portNumber=%p", "--region", api.region]
    if api.profile:
        proxy += ["--profile", api.profile]
    entry = [
        BEGIN % alias,
        "Host %s" % alias,
        "  HostName %s" % args.target,
        "  User %s" % args.user,
        "  Port %d" % args.port,
        "  IdentityFile %s" % args.identity_file,
        "  IdentitiesOnly yes",
        "  ForwardAgent %s" % ("yes" if args.forward_agent else "no"),
        "  ServerAliveInterval 30",
        "  StrictHostKeyChecking accept-new",
        "  ProxyCommand %s" % " ".join(proxy),
        END % alias,
    ]
    path = os.path.expanduser(args.ssh_config)
    write_entry(path, alias, entry)
    if args.json:
        print_json(dict({"alias": alias, "id": args.target, "sshConfig": path}, **({"path": path_name}
                                                                                   if path_name else {})))
        return EXIT_OK
    print(alias)
    print("wrote Host %s to %s and put %s on %s; connect: ssh %s (VS Code: Remote-SSH, host %s)" % (
        alias, args.ssh_config, os.path.basename(public), args.target, alias, alias), file=sys.stderr)
    return EXIT_OK


def _alias(target, node):
    if isinstance(target, dict) and target:
        return re.sub(r"[^A-Za-z0-9-]", "-", next(iter(target.values())))
    return node


def write_entry(path, alias, entry):
    """Puts the entry in the file, replacing the one of the same alias that sdocker wrote before."""
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        lines = []
    begin, end = BEGIN % alias, END % alias
    if begin in lines and end in lines[lines.index(begin):]:
        start = lines.index(begin)
        stop = lines.index(end, start)
        lines[start:stop + 1] = entry
    else:
        if lines and lines[-1].strip():
            lines.append("")
        lines.extend(entry)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)


def list_command(args, api):
    answer = api.call("GET", "/ssh/targets", query={"all": "true"} if args.all else None)
    if args.json:
        print_json(answer)
        return EXIT_OK
    targets = answer.get("targets", [])
    if not targets:
        print("no SSH targets (in Studio: sdocker ssh register)", file=sys.stderr)
        return EXIT_OK
    print(row([c for c, _ in COLUMNS], [w for _, w in COLUMNS]))
    for t in targets:
        what = " ".join("%s %s" % kv for kv in (t.get("target") or {}).items()) or "?"
        if args.all and t.get("owner"):
            what = "%s: %s" % (t["owner"], what)
        print(row([t["id"], what, t.get("pingStatus", "?"), when(t.get("registeredAt")),
                   "yes" if t.get("publicKey") else "no"], [w for _, w in COLUMNS]))
    return EXIT_OK


def remove_command(args, api):
    if not NODE_ID.match(args.target):
        raise CommandError("'%s' is not a target id (mi- and 17 hex digits; see 'sdocker ssh list')" % args.target,
                           EXIT_USAGE)
    api.call("DELETE", "/ssh/targets/%s" % args.target)
    print("deregistered %s" % args.target, file=sys.stderr)
    return EXIT_OK


def host_command(args, api):
    if not HOST_ID.match(args.host_id):
        raise CommandError("'%s' is not a host id (h- and 16 hex digits; see 'sdocker list-hosts')" % args.host_id,
                           EXIT_USAGE)
    answer = api.call("POST", "/ssh/activations", body={"target": {"hostId": args.host_id}})
    command = ["aws", "ssm", "start-session", "--target", answer["instanceId"], "--region", api.region]
    if api.profile:
        command += ["--profile", api.profile]
    if args.print:
        print(" ".join(shlex.quote(c) for c in command))
        return EXIT_OK
    aws = shutil.which("aws")
    if not aws:
        raise CommandError("the AWS CLI is missing: install it and the Session Manager plugin, then run this again; "
                           "the command is: %s" % " ".join(command), EXIT_USAGE)
    log("session to %s: %s" % (args.host_id, " ".join(command)))
    return subprocess.call([aws] + command[1:])

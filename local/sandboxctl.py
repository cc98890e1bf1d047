"""Starts and stops the sandbox as a process, for the end-to-end tests and the benchmarks.

    with SandboxProcess(state_dir, extra_args) as sandbox:
        sandbox.env("alice")   # the environment of a shell that sourced users/alice.env

Stopping is SIGTERM, which the sandbox handles as Ctrl-C (everything it started is stopped, exit
status 0) and which, unlike SIGINT, a background shell does not ignore. If the sandbox does not
stop in time it is SIGKILLed, and its keeper reaps what it left. Afterwards nothing of it may be
left (its processes, the network interfaces of its hosts, its runtime directory, its slot), which
stop() checks, reports and removes, whatever happened before.
"""
import fcntl
import json
import os
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(REPO, "local", "sandbox", "target", "studiocp-sandbox.jar")
SDOCKER = os.path.join(REPO, "client", "dist", "sdocker")  # what `make build` builds and users install
MARKER = "STUDIOCP_SANDBOX_RUNTIME"
# Every sandbox's Docker networks are cut from this range (10.192+slot.0.0/16); see SandboxSlot.
ALL_HOST_NETWORKS = "10.192.0.0/10"
STOP_TIMEOUT = 90
REAP_TIMEOUT = 90


def java_home():
    return subprocess.run([os.path.join(REPO, "scripts", "java-home")], stdout=subprocess.PIPE,
                          universal_newlines=True, check=True).stdout.strip()


def sandbox_command():
    """The sandbox's java command as `make run` starts it: its functions on the JVM flags Lambda runs them with."""
    flags = subprocess.run([os.path.join(REPO, "scripts", "lambda-jvm-flags")], stdout=subprocess.PIPE,
                           universal_newlines=True, check=True).stdout.split()
    return [os.path.join(java_home(), "bin", "java")] + flags + ["-jar", JAR]


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def processes_mentioning(text):
    """(pid, command line) of every process whose command line contains text."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        cmdline = _read("/proc/%s/cmdline" % pid)
        if cmdline is None:
            continue
        cmdline = cmdline.replace(b"\0", b" ").decode(errors="replace")
        if text in cmdline:
            found.append((int(pid), cmdline.strip()))
    return found


def processes_of(runtime_dir):
    """(pid, command line) of every process a sandbox started: it names the sandbox's runtime directory, or
    carries it as its marker, or descends from one that does (a container's processes). Zombies are not counted."""
    marker = ("%s=%s" % (MARKER, runtime_dir)).encode()
    parents, commands, roots = {}, {}, set()
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        stat = _read("/proc/%s/stat" % pid)
        cmdline = _read("/proc/%s/cmdline" % pid)
        if stat is None or cmdline is None:
            continue
        state_and_parent = stat[stat.rindex(b")") + 2:].split()
        if state_and_parent[0] == b"Z":
            continue  # it has exited (its parent has yet to reap it): nothing runs, and its command line is empty
        parents[int(pid)] = int(state_and_parent[1])
        commands[int(pid)] = cmdline.replace(b"\0", b" ").decode(errors="replace").strip()
        environ = _read("/proc/%s/environ" % pid) or b""
        if (runtime_dir + "/") in commands[int(pid)] or marker in environ.split(b"\0"):
            roots.add(int(pid))
    found, pending = set(), list(roots)
    while pending:
        pid = pending.pop()
        if pid not in found:
            found.add(pid)
            pending.extend(child for child, parent in parents.items() if parent == pid)
    return sorted((pid, commands[pid]) for pid in found)


def interfaces_in(cidr, only=None):
    """Names of the network interfaces with an IPv4 address in this range (among `only`, if given)."""
    network, bits = cidr.split("/")
    mask = (0xFFFFFFFF << (32 - int(bits))) & 0xFFFFFFFF

    def number(address):
        a, b, c, d = (int(x) for x in address.split("."))
        return (a << 24) | (b << 16) | (c << 8) | d

    output = subprocess.run(["ip", "-o", "-4", "addr", "show"] + (["dev", only] if only else []),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True).stdout
    found = []
    for line in output.splitlines():
        fields = line.split()
        if len(fields) > 3 and fields[2] == "inet":
            name, address = fields[1].split("@")[0], fields[3].split("/")[0]
            if number(address) & mask == number(network) & mask and name not in found:
                found.append(name)
    return found


def bridges():
    """The machine's Docker bridge interfaces (each host's networks make one)."""
    try:
        return {name for name in os.listdir("/sys/class/net") if name.startswith("br-")}
    except OSError:
        return set()


def runtime_base():
    """Where the machine's sandboxes hold their slots (as the sandbox's Slots.defaultBase)."""
    if os.geteuid() == 0:
        return "/run/studiocp"
    import getpass
    return os.path.join(tempfile.gettempdir(), "studiocp-" + getpass.getuser())


def runtime_dir_of(sandbox_pid):
    """The runtime directory of the slot the sandbox with this pid claimed, if it got that far."""
    base = runtime_base()
    for entry in os.listdir(base) if os.path.isdir(base) else []:
        record = _read(os.path.join(base, entry, "sandbox.json"))
        if record and json.loads(record).get("sandboxPid") == sandbox_pid:
            return os.path.join(base, entry)
    return None


def slot_held(runtime_dir):
    """Whether a keeper still holds the sandbox slot of this runtime directory."""
    lock_file = os.path.join(os.path.dirname(runtime_dir), "slot-%s.lock" % os.path.basename(runtime_dir))
    if not os.path.exists(lock_file):
        return False
    with open(lock_file, "a") as f:
        try:
            fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.lockf(f, fcntl.LOCK_UN)
        return False


def alive(pid):
    stat = _read("/proc/%d/stat" % pid)
    return stat is not None and stat[stat.rindex(b")") + 2:].split()[0] != b"Z"


def wait_until(predicate, seconds, step=0.25):
    deadline = time.time() + seconds
    while True:
        value = predicate()
        if value or time.time() > deadline:
            return value
        time.sleep(step)


def wait_for(predicate, seconds, what):
    """wait_until for tests: the value, or an AssertionError naming what never came."""
    value = wait_until(predicate, seconds)
    if not value:
        raise AssertionError("gave up waiting for " + what)
    return value


def ignore_interrupts_in_a_session_of_its_own():
    """What a background shell (`make run &`, nohup, a CI step) gives its jobs: SIGINT ignored."""
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)


class SandboxProcess:
    def __init__(self, state_dir, args=(), start_timeout=180, background=False):
        self.state_dir = str(state_dir)
        self.args = list(args)
        self.start_timeout = start_timeout
        self.background = background
        self.process = None
        self.ready = None
        self.returncode = None
        self.runtime_dir = None
        self.bridges_before = set()

    @property
    def log_file(self):
        return os.path.join(self.state_dir, "sandbox.log")

    def log(self):
        with open(self.log_file, errors="replace") as f:
            return f.read()

    def start(self):
        if not (os.path.exists(JAR) and os.path.exists(SDOCKER)):
            raise RuntimeError("build the sandbox and the client first: make build")
        os.makedirs(self.state_dir, exist_ok=True)
        ready_file = os.path.join(self.state_dir, "ready.json")
        if os.path.exists(ready_file):
            os.remove(ready_file)
        self.ready, self.returncode, self.runtime_dir = None, None, None
        self.bridges_before = bridges()
        self._log = open(self.log_file, "w")
        self.process = subprocess.Popen(
            sandbox_command() + ["--state-dir", os.path.join(self.state_dir, "state"), "--api-port", "0",
                                 "--ready-file", ready_file, "--seed", os.path.join(REPO, "local", "seed.json")]
            + self.args, cwd=REPO, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            preexec_fn=ignore_interrupts_in_a_session_of_its_own if self.background else None)
        started = wait_until(lambda: os.path.exists(ready_file) or self.process.poll() is not None, self.start_timeout)
        if not started or not os.path.exists(ready_file):
            why = "exited with status %s" % self.process.poll() if self.process.poll() is not None else \
                "was not up within %d s" % self.start_timeout
            # Stopped (SIGTERM, SIGKILL if need be) like any other; what it had started is reaped by then.
            self.runtime_dir = runtime_dir_of(self.process.pid)
            self._end()
            raise RuntimeError("the sandbox %s: %s" % (why, self.log()[-3000:]))
        with open(ready_file) as f:
            self.ready = json.load(f)
        return self

    def _end(self):
        """SIGTERM, then SIGKILL if it does not stop in time; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)
        self._log.close()
        self.returncode = self.process.returncode
        return self.returncode

    def kill(self):
        """SIGKILL, as the OOM killer or `kill -9` would: no shutdown hook runs."""
        self.process.kill()
        self.process.wait(30)
        self._log.close()
        self.returncode = self.process.returncode

    def stop(self):
        """Stops it (SIGTERM) and returns what it left behind, removed so nothing lingers. Its exit status is in
        self.returncode. A sandbox that has ended already (stopped or killed) is not looked at again: its slot
        may be another sandbox's by now."""
        if self.returncode is not None:
            return []
        self._end()
        return self.leftovers()

    def leftovers(self):
        """What is left of this sandbox once its keeper had the time to reap (processes, network interfaces of its
        hosts, its runtime directory, its slot), each removed so nothing lingers."""
        if self.ready is not None:
            runtime_dir, keeper, moto = self.ready["runtimeDir"], self.ready["keeperPid"], self.ready["motoPid"]
        elif self.runtime_dir:
            # It failed to start, but had claimed a slot: its keeper's record says which.
            runtime_dir, moto = self.runtime_dir, None
            keeper = json.loads(_read(os.path.join(runtime_dir, "sandbox.json")) or b"{}").get("keeperPid")
        else:
            return []
        if keeper:
            wait_until(lambda: not alive(keeper), REAP_TIMEOUT)
        found = []
        if keeper and alive(keeper):
            found.append((keeper, "the keeper, still running"))
            os.kill(keeper, signal.SIGKILL)
        processes = dict(processes_of(runtime_dir))
        if moto and alive(moto):
            processes.setdefault(moto, "moto")
        for pid, cmdline in sorted(processes.items()):
            found.append((pid, cmdline))
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        # Its hosts' bridges are in its own range; a new bridge in no sandbox's range would be one that escaped it.
        host_networks = "10.%d.0.0/16" % (192 + int(os.path.basename(runtime_dir)))
        strays = [b for b in bridges() - self.bridges_before if not interfaces_in(ALL_HOST_NETWORKS, b)]
        for name in interfaces_in(host_networks) + sorted(strays):
            found.append((0, "network interface " + name))
            subprocess.run(["ip", "link", "delete", name], stderr=subprocess.DEVNULL)
        if os.path.exists(runtime_dir):
            found.append((0, "runtime directory " + runtime_dir))
            with open("/proc/self/mountinfo") as f:
                mounts = [line.split()[4] for line in f if line.split()[4].startswith(runtime_dir + "/")]
            for mount in sorted(mounts, reverse=True):
                subprocess.run(["umount", "-l", mount], stderr=subprocess.DEVNULL)
            shutil.rmtree(runtime_dir, ignore_errors=True)
        # A killed keeper's threads may still be ending, its lock with them.
        if not wait_until(lambda: not slot_held(runtime_dir), 10):
            found.append((0, "slot %s still held" % os.path.basename(runtime_dir)))
        return found

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        leftovers = self.stop()
        if leftovers and exc[0] is None:
            raise RuntimeError("left behind after SIGTERM: %s" % leftovers)

    def env(self, user):
        """The environment of a shell that sourced the user's file."""
        env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "AWS_EC2_METADATA_DISABLED": "true"}
        with open(self.ready["users"][user]) as f:
            for line in f:
                line = line.strip()
                if line.startswith("export "):
                    for assignment in line[len("export "):].split():
                        name, value = assignment.split("=", 1)
                        env[name] = string.Template(value).safe_substitute(env)
        return env

    def home(self, user):
        return self.env(user)["HOME"]

    def sdocker(self, user, *args, timeout=120):
        """sdocker as the user runs it: the command their env file puts on the PATH (the built client)."""
        return subprocess.run(["sdocker"] + list(args), env=self.env(user), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True, timeout=timeout)

    def docker(self, user, *args, timeout=120, stdin=None):
        return subprocess.run(["docker"] + list(args), env=self.env(user), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, input=stdin, timeout=timeout)

    def aws(self, service):
        import boto3

        endpoint = {"stepfunctions": self.ready["stepFunctions"]}.get(service, self.ready["moto"])
        return boto3.client(service, region_name=self.ready["region"], endpoint_url=endpoint,
                            aws_access_key_id="sandbox", aws_secret_access_key="sandbox")

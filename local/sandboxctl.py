"""Starts and stops the sandbox as a process, for the end-to-end tests and the benchmarks.

    with SandboxProcess(state_dir, extra_args) as sandbox:
        sandbox.env("alice")   # the environment of a shell that sourced users/alice.env

Stopping is Ctrl-C (SIGINT), as a user stops `make run`; afterwards nothing the sandbox started
may still run (its moto server, its dockerds), which stop() checks and reports.
"""
import json
import os
import signal
import string
import subprocess
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(REPO, "local", "sandbox", "target", "studiocp-sandbox.jar")
SDOCKER = os.path.join(REPO, "client", "dist", "sdocker")  # what `make build` builds and users install


def java_home():
    return subprocess.run([os.path.join(REPO, "scripts", "java-home")], stdout=subprocess.PIPE,
                          universal_newlines=True, check=True).stdout.strip()


def bridges():
    """The machine's Docker bridge interfaces (each host's networks make one)."""
    try:
        return {name for name in os.listdir("/sys/class/net") if name.startswith("br-")}
    except OSError:
        return set()


def processes_mentioning(text):
    """(pid, command line) of every process whose command line contains text."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline:
            found.append((int(pid), cmdline.strip()))
    return found


class SandboxProcess:
    def __init__(self, state_dir, args=(), start_timeout=120):
        self.state_dir = str(state_dir)
        self.args = list(args)
        self.start_timeout = start_timeout
        self.process = None
        self.ready = None

    def start(self):
        if not (os.path.exists(JAR) and os.path.exists(SDOCKER)):
            raise RuntimeError("build the sandbox and the client first: make build")
        os.makedirs(self.state_dir, exist_ok=True)
        ready_file = os.path.join(self.state_dir, "ready.json")
        if os.path.exists(ready_file):
            os.remove(ready_file)
        self.log = open(os.path.join(self.state_dir, "sandbox.log"), "w")
        self.bridges_before = bridges()
        self.process = subprocess.Popen(
            [os.path.join(java_home(), "bin", "java"), "-jar", JAR, "--state-dir", os.path.join(self.state_dir, "state"),
             "--api-port", "0", "--ready-file", ready_file, "--seed", os.path.join(REPO, "local", "seed.json")]
            + self.args, cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + self.start_timeout
        while not os.path.exists(ready_file):
            if self.process.poll() is not None or time.time() > deadline:
                self.process.kill()
                with open(os.path.join(self.state_dir, "sandbox.log")) as f:
                    raise RuntimeError("the sandbox did not start: " + f.read()[-3000:])
            time.sleep(0.2)
        with open(ready_file) as f:
            self.ready = json.load(f)
        return self

    def stop(self):
        """Ctrl-C, then the list of what it left behind (processes, bridge interfaces), removed so nothing lingers."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(90)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise RuntimeError("the sandbox did not stop within 90 s of Ctrl-C")
        finally:
            self.log.close()
        moto_port = self.ready["moto"].rsplit(":", 1)[1]
        leftovers = processes_mentioning("/scp-") + [p for p in processes_mentioning("moto.server")
                                                    if "-p " + moto_port in p[1]]
        for pid, _ in leftovers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        leaked = sorted(bridges() - self.bridges_before)
        for bridge in leaked:
            subprocess.run(["ip", "link", "delete", bridge], stderr=subprocess.DEVNULL)
        return leftovers + [(0, "bridge " + b) for b in leaked]

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        leftovers = self.stop()
        if leftovers and exc[0] is None:
            raise RuntimeError("left behind after Ctrl-C: %s" % leftovers)

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

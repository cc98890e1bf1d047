"""The sandbox as users meet it: started as `make run` starts it, driven through client/sdocker and
the docker CLI, and stopped by PID with a check that nothing it started is left behind."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SDOCKER = os.path.join(REPO, "client", "sdocker")
JAR = os.path.join(REPO, "local", "sandbox", "target", "studiocp-sandbox.jar")
LAUNCH_TIMEOUT = 25
HEARTBEAT = 12


class Sandbox:
    def __init__(self, process, ready, state_dir):
        self.process = process
        self.ready = ready
        self.state_dir = state_dir

    def env(self, user):
        """The environment of a shell that sourced the user's file."""
        env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "AWS_EC2_METADATA_DISABLED": "true"}
        with open(self.ready["users"][user]) as f:
            for line in f:
                line = line.strip()
                if line.startswith("export "):
                    for assignment in line[len("export "):].split():
                        name, value = assignment.split("=", 1)
                        env[name] = value
        return env

    def home(self, user):
        return self.env(user)["HOME"]

    def sdocker(self, user, *args, timeout=120):
        result = subprocess.run([sys.executable, SDOCKER] + list(args), env=self.env(user), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, universal_newlines=True, timeout=timeout)
        return result

    def docker(self, user, *args, timeout=120, stdin=None):
        return subprocess.run(["docker"] + list(args), env=self.env(user), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, input=stdin, timeout=timeout)

    def ec2(self):
        import boto3

        return boto3.client("ec2", region_name=self.ready["region"], endpoint_url=self.ready["moto"],
                            aws_access_key_id="sandbox", aws_secret_access_key="sandbox")


def java_home():
    return subprocess.run([os.path.join(REPO, "scripts", "java-home")], stdout=subprocess.PIPE,
                          universal_newlines=True, check=True).stdout.strip()


def processes_mentioning(text):
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


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    if not os.path.exists(JAR):
        pytest.fail("build the sandbox first: make build (or make test, which builds it)")
    state_dir = tmp_path_factory.mktemp("sandbox-state")
    ready_file = state_dir / "ready.json"
    log = open(state_dir / "sandbox.log", "w")
    process = subprocess.Popen(
        [os.path.join(java_home(), "bin", "java"), "-jar", JAR, "--state-dir", str(state_dir / "state"),
         "--api-port", "0", "--ready-file", str(ready_file), "--launch-timeout", str(LAUNCH_TIMEOUT),
         "--heartbeat", str(HEARTBEAT), "--seed", os.path.join(REPO, "local", "seed.json")],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while not ready_file.exists():
        if process.poll() is not None or time.time() > deadline:
            process.kill()
            pytest.fail("the sandbox did not start: " + (state_dir / "sandbox.log").read_text()[-3000:])
        time.sleep(0.2)
    ready = json.loads(ready_file.read_text())
    started = Sandbox(process, ready, str(state_dir / "state"))
    try:
        yield started
    finally:
        # Ctrl-C, as a user stops `make run`; then nothing it started may be left.
        process.send_signal(signal.SIGINT)
        try:
            process.wait(90)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail("the sandbox did not stop within 90 s of Ctrl-C")
        log.close()
        leftovers = processes_mentioning("/scp-") + [p for p in processes_mentioning("moto.server")
                                                    if ":" + ready["moto"].rsplit(":", 1)[1] in p[1]
                                                    or ready["moto"].rsplit(":", 1)[1] in p[1]]
        for pid, _ in leftovers:
            os.kill(pid, signal.SIGKILL)
        assert leftovers == [], "left behind after Ctrl-C: %s" % leftovers


@pytest.fixture(scope="session")
def busybox_image(tmp_path_factory):
    """A test image built here (no registry is reachable): busybox-static as a root file system."""
    busybox = shutil.which("busybox")
    if busybox is None:
        pytest.fail("busybox is not installed (apt-get install busybox-static)")
    root = tmp_path_factory.mktemp("busybox-root")
    os.makedirs(root / "bin")
    shutil.copy(busybox, root / "bin" / "busybox")
    for tool in ("sh", "echo", "cat", "ls", "sleep", "wc"):
        os.symlink("busybox", root / "bin" / tool)
    archive = tmp_path_factory.mktemp("busybox-image") / "busybox.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(str(root), arcname=".")
    return archive.read_bytes()


@pytest.fixture
def reset_hooks(sandbox):
    """Removes bootstrap hooks a test wrote into a user's home."""
    written = []
    yield written
    for path in written:
        if os.path.exists(path):
            os.remove(path)

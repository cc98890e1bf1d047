"""host/bootstrap.sh as a script: it parses, shellcheck finds nothing, it refuses to run half-configured,
and a dockerd that dies fails the dockerd step at once (directly started or under systemd, both played
here with stand-ins for dockerd, systemctl, journalctl, the metadata service and Step Functions).

What it does on a host is tested for real by the sandbox's end-to-end suite (local/e2e)."""
import base64
import http.server
import json
import os
import shutil
import socket
import stat
import subprocess
import threading

import pytest

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bootstrap.sh")


def test_bash_parses_it():
    result = subprocess.run(["bash", "-n", SCRIPT], stderr=subprocess.PIPE, universal_newlines=True)
    assert result.returncode == 0, result.stderr


def test_shellcheck_finds_nothing():
    if shutil.which("shellcheck") is None:
        pytest.fail("shellcheck is not installed (apt-get install shellcheck); make test needs it")
    result = subprocess.run(["shellcheck", "--severity=style", SCRIPT], stdout=subprocess.PIPE,
                            universal_newlines=True)
    assert result.returncode == 0, result.stdout


def test_it_names_the_first_missing_value_and_does_nothing(tmp_path):
    env = {"PATH": os.environ["PATH"], "SDOCKER_LOCAL_ROOT": str(tmp_path), "SDOCKER_HOST_ID": "h-0123456789abcdef"}
    result = subprocess.run(["bash", SCRIPT], env=env, stderr=subprocess.PIPE, universal_newlines=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip() == "bootstrap: SDOCKER_REGION is not set"
    assert list(tmp_path.iterdir()) == [], "nothing was created"


def test_the_rendered_values_block_is_where_launch_expects_it():
    with open(SCRIPT) as f:
        lines = f.read().splitlines()
    assert lines[0] == "#!/bin/bash"
    assert lines.count("# @STUDIOCP_RENDERED_VALUES@") == 1


class FakeAws(http.server.ThreadingHTTPServer):
    """The instance's metadata service and Step Functions, on one loopback port: what the bootstrap calls."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeAwsHandler)
        self.calls = []
        self.queue = []  # SQS message bodies, oldest first
        self.dead_tokens = set()  # task tokens whose workflow no longer waits
        self.refused_deletes = 0  # how many DeleteMessage calls to refuse (a receipt that expired)

    @property
    def endpoint(self):
        return "http://127.0.0.1:%d" % self.server_address[1]


class FakeAwsHandler(http.server.BaseHTTPRequestHandler):
    METADATA = {
        "/latest/meta-data/instance-id": "i-0123456789abcdef0",
        "/latest/meta-data/local-ipv4": "127.0.0.1",
        "/latest/meta-data/local-hostname": "localhost",
        "/latest/meta-data/iam/security-credentials/": "studiocp-host",
        "/latest/meta-data/iam/security-credentials/studiocp-host": json.dumps(
            {"AccessKeyId": "ASIAHOSTTEST", "SecretAccessKey": "host-test-secret", "Token": "host-test-session"}),
    }

    def do_PUT(self):
        self.answer(200, "metadata-token")

    def do_GET(self):
        value = self.METADATA.get(self.path)
        self.answer(404 if value is None else 200, value or "")

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        target = self.headers.get("X-Amz-Target", "")
        self.server.calls.append((target, body))
        if target == "AmazonSQS.ReceiveMessage":
            queue = self.server.queue
            messages = [{"MessageId": "m-%d" % len(self.server.calls), "ReceiptHandle": "rh-%d" % len(queue),
                         "MD5OfBody": "x", "Body": queue.pop(0)}] if queue else []
            self.answer(200, json.dumps({"Messages": messages} if messages else {}))
        elif target == "AmazonSQS.DeleteMessage" and self.server.refused_deletes:
            self.server.refused_deletes -= 1
            self.answer(400, json.dumps({"__type": "ReceiptHandleIsInvalid", "message": "expired"}))
        elif target == "AWSStepFunctions.SendTaskHeartbeat" and body.get("taskToken") in self.server.dead_tokens:
            self.answer(400, json.dumps({"__type": "TaskTimedOut", "message": "Task Timed Out"}))
        else:
            self.answer(200, "{}")

    def answer(self, status, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_aws():
    server = FakeAws()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_tool(directory, name, body):
    path = os.path.join(str(directory), name)
    with open(path, "w") as f:
        f.write("#!/bin/bash\n" + body)
    os.chmod(path, 0o755)
    return path


FAKE_DOCKERD = r"""#!/usr/bin/env python3
import http.server, os, socketserver, sys, threading
args = sys.argv[1:]
sock = next(a for a in args if a.startswith("unix://"))[len("unix://"):]
with open(args[args.index("--pidfile") + 1], "w") as f:
    f.write(str(os.getpid()))
with open(os.environ["FAKE_DOCKERD_ARGS"], "w") as f:
    f.write(" ".join(args))
class Answer(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"Version": "fake"}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_POST = do_GET
    def log_message(self, *args):
        pass
class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    def get_request(self):
        request, _ = super().get_request()
        return request, ("local", 0)
if os.path.exists(sock):
    os.unlink(sock)
server = Server(sock, Answer)
threading.Timer(60, server.shutdown).start()
server.serve_forever()
"""

# The docker CLI, played with curl: one GET of /version on the socket, or over mutual TLS on the port.
FAKE_DOCKER = r"""#!/bin/bash
tls=() host=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tlscacert) tls+=(--cacert "$2"); shift ;;
    --tlscert) tls+=(--cert "$2"); shift ;;
    --tlskey) tls+=(--key "$2"); shift ;;
    -H) host=$2; shift ;;
  esac
  shift
done
case "$host" in
  unix://*) exec curl -sf --max-time 5 --unix-socket "${host#unix://}" http://docker/version ;;
  tcp://*) exec curl -sf --max-time 5 "${tls[@]}" "https://${host#tcp://}/version" ;;
esac
exit 1
"""


@pytest.fixture
def fake_docker(tmp_path):
    """A dockerd that answers on its socket (and nothing else) and a docker CLI; stops what they started."""
    tools = tmp_path / "docker-tools"
    tools.mkdir()
    with open(str(tools / "fake-dockerd"), "w") as f:
        f.write(FAKE_DOCKERD)
    os.chmod(str(tools / "fake-dockerd"), 0o755)
    with open(str(tools / "docker"), "w") as f:
        f.write(FAKE_DOCKER)
    os.chmod(str(tools / "docker"), 0o755)
    yield {"tools": tools, "dockerd": str(tools / "fake-dockerd"), "args": tools / "dockerd-args"}
    # What the bootstrap left running (dockerd, the TLS front, the housekeeping loop): by PID, found
    # by the test's own directory on its command line.
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if str(tmp_path).encode() in f.read():
                    os.kill(int(pid), 15)
        except (OSError, ValueError):
            pass


def bootstrap_env(tmp_path, fake_aws, mode, path_dirs=()):
    home = tmp_path / "home"
    home.mkdir()
    return {
        "PATH": os.pathsep.join([str(d) for d in path_dirs] + [os.environ["PATH"]]),
        "SDOCKER_HOST_ID": "h-0123456789abcdef", "SDOCKER_REGION": "us-east-1",
        "SDOCKER_DOCKER_PORT": str(free_port()), "SDOCKER_UID": str(os.getuid()), "SDOCKER_GID": str(os.getgid()),
        "SDOCKER_HOME": str(home), "SDOCKER_CERT_DIR": str(home / ".sdocker" / "hosts" / "h-0123456789abcdef"),
        "SDOCKER_MOUNTS": "fs-0123:/=" + str(home), "SDOCKER_GPU": "false",
        "SDOCKER_TASK_TOKEN": "AQtask-token-for-the-test", "SDOCKER_SFN_ENDPOINT": fake_aws.endpoint,
        "SDOCKER_LOCAL_ROOT": str(tmp_path / "root"), "SDOCKER_LOCAL_IMDS": fake_aws.endpoint,
        "SDOCKER_LOCAL_SERVICE_MODE": mode, "SDOCKER_LOCAL_MOUNT_MODE": "none", "SDOCKER_LOCAL_LISTEN": "127.0.0.1",
    }


def run_bootstrap(env):
    # The bound is well under the 60 s the bootstrap gives a dockerd that is alive but silent.
    return subprocess.run(["bash", SCRIPT], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=30)


def dockerd_step_failure(env, fake_aws):
    """Runs the bootstrap, which must fail and report the dockerd step's failure (once); returns the reported cause."""
    result = run_bootstrap(env)
    assert result.returncode == 1, result.stdout
    targets = [target for target, _ in fake_aws.calls]
    assert "AWSStepFunctions.SendTaskSuccess" not in targets
    failures = [body for target, body in fake_aws.calls if target == "AWSStepFunctions.SendTaskFailure"]
    assert len(failures) == 1, targets
    assert failures[0]["taskToken"] == "AQtask-token-for-the-test"
    assert failures[0]["error"] == "BootstrapFailed"
    assert failures[0]["cause"].startswith("step 'dockerd' failed"), failures[0]["cause"]
    return failures[0]["cause"]


def test_a_dockerd_that_exits_fails_the_dockerd_step_at_once_with_its_log(tmp_path, fake_aws):
    tools = tmp_path / "tools"
    tools.mkdir()
    dockerd = write_tool(tools, "fake-dockerd", 'echo "starting up with $#  arguments"\n'
                                                'echo "failed to load listeners: listen tcp 127.0.0.1: bind: '
                                                'address already in use"\nexit 1\n')
    env = dict(bootstrap_env(tmp_path, fake_aws, "direct"), SDOCKER_LOCAL_DOCKERD=dockerd)
    # What holds the port accepts connections and never answers: no probe of it may hang the bootstrap.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", int(env["SDOCKER_DOCKER_PORT"])))
        taken.listen()
        cause = dockerd_step_failure(env, fake_aws)
    assert "address already in use" in cause, "the tail of dockerd's log is in the report"
    assert "dockerd exited before it answered (exit code 1)" in cause
    with open(os.path.join(env["SDOCKER_CERT_DIR"], "bootstrap.log")) as f:
        log = f.read()
    assert "FAILED at step dockerd" in log
    assert "host-test-secret" not in log and "AQtask-token" not in log, "no secret in the log"


def test_under_systemd_a_dockerd_that_dies_after_starting_fails_the_step_with_its_journal(tmp_path, fake_aws):
    tools = tmp_path / "tools"
    tools.mkdir()
    state = tmp_path / "systemd"
    state.mkdir()
    # systemd's side, played: `restart docker` starts a dockerd that lives a moment; `show` tells its MainPID
    # (0 once it is gone, as while systemd waits to restart it); the journal holds what it printed.
    write_tool(tools, "systemctl", """
case "$*" in
  "restart docker") sleep 1 & echo $! > %(state)s/pid ;;
  "show --property MainPID --value docker")
    pid=$(cat %(state)s/pid); if kill -0 "$pid" 2>/dev/null; then echo "$pid"; else echo 0; fi ;;
esac
exit 0
""" % {"state": state})
    write_tool(tools, "journalctl", 'echo "Starting Docker Application Container Engine..."\n'
                                    'echo "dockerd: failed to start daemon: error initializing graphdriver"\n')
    env = bootstrap_env(tmp_path, fake_aws, "systemd", [tools])
    cause = dockerd_step_failure(env, fake_aws)
    assert "error initializing graphdriver" in cause, "the tail of dockerd's journal is in the report"
    assert "dockerd exited before it answered" in cause
    unit = tmp_path / "root" / "etc" / "systemd" / "system" / "docker.service.d" / "studiocp.conf"
    assert "-H fd://" in unit.read_text() and "tcp://" not in unit.read_text(), \
        "the unit runs dockerd on its private socket alone (the TLS front is the one listener)"


def test_under_systemd_a_dockerd_that_cannot_start_fails_the_step_with_its_journal(tmp_path, fake_aws):
    tools = tmp_path / "tools"
    tools.mkdir()
    write_tool(tools, "systemctl", '[ "$*" = "restart docker" ] && exit 1\nexit 0\n')
    write_tool(tools, "journalctl", 'echo "failed to load listeners: listen tcp 127.0.0.1:2376: bind: '
                                    'address already in use"\n')
    cause = dockerd_step_failure(bootstrap_env(tmp_path, fake_aws, "systemd", [tools]), fake_aws)
    assert "address already in use" in cause
    assert "systemctl restart docker failed" in cause


# ---- pool mode: a warm pool host waits on its queue, takes a live claim, and refuses anything else ----

def pool_env(tmp_path, fake_aws, fake_docker, rounds=3):
    """A pool host's values: its queue and region, no identity (the claim brings it); the stand-in dockerd."""
    return {
        "PATH": os.pathsep.join([str(fake_docker["tools"]), os.environ["PATH"]]),
        "SDOCKER_LOCAL_DOCKERD": fake_docker["dockerd"], "FAKE_DOCKERD_ARGS": str(fake_docker["args"]),
        "SDOCKER_POOL_QUEUE_URL": fake_aws.endpoint + "/123456789012/studiocp-pool-d-abc-m5-xlarge",
        "SDOCKER_REGION": "us-east-1", "SDOCKER_SQS_ENDPOINT": fake_aws.endpoint,
        "SDOCKER_SFN_ENDPOINT": fake_aws.endpoint, "SDOCKER_TASK_TOKEN": "pool",
        "SDOCKER_POOL_WAIT_SECONDS": "0", "SDOCKER_POOL_WAIT_ROUNDS": str(rounds),
        "SDOCKER_LOCAL_ROOT": str(tmp_path / "root"), "SDOCKER_LOCAL_IMDS": fake_aws.endpoint,
        "SDOCKER_LOCAL_SERVICE_MODE": "direct", "SDOCKER_LOCAL_MOUNT_MODE": "none", "SDOCKER_LOCAL_LISTEN": "127.0.0.1",
    }


def claim_body(values):
    block = "".join("%s='%s'\n" % (k, v) for k, v in values.items())
    return base64.b64encode(block.encode()).decode()


def a_claim(tmp_path, fake_aws, token):
    """The values a claim for one user carries (as ClaimPoolHost renders them)."""
    fresh = bootstrap_env(tmp_path, fake_aws, "direct")
    keys = ["SDOCKER_HOST_ID", "SDOCKER_REGION", "SDOCKER_DOCKER_PORT", "SDOCKER_UID", "SDOCKER_GID", "SDOCKER_HOME",
            "SDOCKER_CERT_DIR", "SDOCKER_MOUNTS", "SDOCKER_GPU", "SDOCKER_SFN_ENDPOINT"]
    values = {k: fresh[k] for k in keys}
    values["SDOCKER_TASK_TOKEN"] = token
    return values


def claim_file(tmp_path):
    return tmp_path / "root" / "var" / "lib" / "studiocp" / "claim.env"


def targets(fake_aws):
    return [target for target, _ in fake_aws.calls]


def test_a_pool_host_waits_with_nothing_of_a_user(tmp_path, fake_aws, fake_docker):
    result = subprocess.run(["bash", SCRIPT], env=pool_env(tmp_path, fake_aws, fake_docker, rounds=2),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=30)
    assert result.returncode == 1, result.stdout
    assert targets(fake_aws) == ["AmazonSQS.ReceiveMessage"] * 2, "it only polled its queue"
    assert fake_aws.calls[0][1]["QueueUrl"].endswith("/studiocp-pool-d-abc-m5-xlarge")
    assert not claim_file(tmp_path).exists()
    assert not (tmp_path / "root" / "etc" / "docker" / "studiocp").exists(), "no certificates"
    args = fake_docker["args"].read_text()
    assert "-H unix://%s/root/run/docker.sock" % tmp_path in args and "tcp://" not in args and "tls" not in args, \
        "dockerd runs ahead on its private socket alone: %s" % args
    # The TLS front's process is loaded ahead, and listens nowhere: it waits for its port on a pipe.
    front = int((tmp_path / "root" / "run" / "docker-tls.pid").read_text())
    with open("/proc/%d/cmdline" % front) as f:
        assert f.read().split("\0")[3] == "-", "no port before a claim"
    listening = subprocess.run(["ss", "-Hltnp"], stdout=subprocess.PIPE, universal_newlines=True).stdout
    assert "pid=%d," % front not in listening, "nothing listens on the network: %s" % listening
    assert stat.S_ISFIFO(os.stat(str(tmp_path / "root" / "var" / "lib" / "studiocp" / "docker-tls-front.port")).st_mode)
    log = (tmp_path / "root" / "var" / "lib" / "studiocp" / "bootstrap.log").read_text()
    assert "dockerd runs on its private socket, nothing listens on the network" in log
    assert "no claim after 2 polls" in log


def test_a_pool_host_whose_dockerd_cannot_start_takes_no_claim(tmp_path, fake_aws, fake_docker):
    tools = tmp_path / "tools"
    tools.mkdir()
    env = dict(pool_env(tmp_path, fake_aws, fake_docker),
               SDOCKER_LOCAL_DOCKERD=write_tool(tools, "broken-dockerd", 'echo "no space left on device"\nexit 1\n'))
    fake_aws.queue.append(claim_body(a_claim(tmp_path, fake_aws, "AQclaim-token")))
    result = subprocess.run(["bash", SCRIPT], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True, timeout=30)
    assert result.returncode == 1, result.stdout
    assert targets(fake_aws) == [], "it never took a claim it could not serve"
    log = (tmp_path / "root" / "var" / "lib" / "studiocp" / "bootstrap.log").read_text()
    assert "dockerd did not start, so it takes no claim" in log and "no space left on device" in log, log


def test_a_pool_host_takes_a_live_claim_and_goes_on_as_that_users_host(tmp_path, fake_aws, fake_docker):
    values = a_claim(tmp_path, fake_aws, "AQclaim-token")
    fake_aws.queue.append(claim_body(values))
    env = pool_env(tmp_path, fake_aws, fake_docker)
    result = subprocess.run(["bash", SCRIPT], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True, timeout=30)
    assert result.returncode == 0, result.stdout
    calls = targets(fake_aws)
    assert calls[0] == "AmazonSQS.ReceiveMessage"
    assert sorted(calls[1:3]) == ["AWSStepFunctions.SendTaskHeartbeat", "AmazonSQS.DeleteMessage"], \
        "the claim is taken off the queue (no other pool host can have it) while its token is checked"
    assert fake_aws.calls[0][1]["VisibilityTimeout"] == 10, "a claim a dead poll swallowed comes back within 10 s"
    heartbeat = next(body for target, body in fake_aws.calls[1:3] if target == "AWSStepFunctions.SendTaskHeartbeat")
    assert heartbeat["taskToken"] == "AQclaim-token"
    stored = claim_file(tmp_path)
    assert oct(stored.stat().st_mode & 0o777) == "0o600"
    assert "SDOCKER_HOST_ID='h-0123456789abcdef'" in stored.read_text()
    # It went on with the user's identity: the user's log and certificates, the TLS front, the report.
    successes = [body for target, body in fake_aws.calls if target == "AWSStepFunctions.SendTaskSuccess"]
    assert len(successes) == 1 and successes[0]["taskToken"] == "AQclaim-token", calls
    assert json.loads(successes[0]["output"])["hostId"] == "h-0123456789abcdef"
    for name in ("bootstrap.log", "ca.pem", "cert.pem", "key.pem"):
        assert os.path.exists(os.path.join(values["SDOCKER_CERT_DIR"], name)), name
    log = (tmp_path / "root" / "var" / "lib" / "studiocp" / "bootstrap.log").read_text()
    assert "dockerd starts again" not in log
    assert "the waiting TLS front listens on 127.0.0.1:%s" % values["SDOCKER_DOCKER_PORT"] in log, log
    # The port answers with the user's client certificate and refuses a client without one.
    port = values["SDOCKER_DOCKER_PORT"]
    cert_dir = values["SDOCKER_CERT_DIR"]
    url = "https://127.0.0.1:%s/version" % port
    ok = subprocess.run(["curl", "-sf", "--max-time", "5", "--cacert", cert_dir + "/ca.pem", "--cert",
                         cert_dir + "/cert.pem", "--key", cert_dir + "/key.pem", url], stdout=subprocess.PIPE)
    assert ok.returncode == 0 and b"fake" in ok.stdout
    refused = subprocess.run(["curl", "-sf", "--max-time", "5", "--cacert", cert_dir + "/ca.pem", url],
                             stdout=subprocess.PIPE)
    assert refused.returncode != 0, "mutual TLS: no client certificate, no answer"


def entries_under(path):
    return sorted(os.path.relpath(os.path.join(d, n), str(path)) for d, dirs, files in os.walk(str(path))
                  for n in dirs + files)


def test_a_malformed_claim_is_dropped_and_nothing_in_it_runs(tmp_path, fake_aws, fake_docker):
    marker = tmp_path / "pwned"
    values = a_claim(tmp_path, fake_aws, "AQclaim-token")
    block = base64.b64decode(claim_body(values)).decode() + "touch %s\n" % marker
    fake_aws.queue.append(base64.b64encode(block.encode()).decode())
    unknown = dict(values, SDOCKER_LOCAL_ROOT="/")
    fake_aws.queue.append(claim_body(unknown))
    quoted = dict(values, SDOCKER_HOME="$(touch %s)" % marker)
    fake_aws.queue.append(claim_body(quoted))
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    before = entries_under(tmp_path)
    env = pool_env(tmp_path, fake_aws, fake_docker, rounds=4)
    result = subprocess.run(["bash", SCRIPT], env=env, stdout=subprocess.PIPE, cwd=str(cwd),
                            stderr=subprocess.STDOUT, universal_newlines=True, timeout=30)
    assert result.returncode == 1, result.stdout
    assert not marker.exists(), "nothing in a claim is ever run"
    calls = targets(fake_aws)
    assert calls.count("AmazonSQS.DeleteMessage") == 3, calls
    assert "AWSStepFunctions.SendTaskHeartbeat" not in calls, "none of them got as far as its token: %s" % calls
    log = (tmp_path / "root" / "var" / "lib" / "studiocp" / "bootstrap.log").read_text()
    assert log.count("a malformed claim was dropped") == 3, log
    assert "SDOCKER_HOME is not an absolute plain path" in log, log
    assert not claim_file(tmp_path).exists()
    assert list(cwd.iterdir()) == [], "nothing is created relative to the working directory"
    created = [e for e in entries_under(tmp_path) if e not in before and not e.startswith("docker-tools")]
    assert all(e == "root" or e.startswith("root" + os.sep) for e in created), \
        "only the host's own state under its root: %s" % created
    assert not (tmp_path / "home" / ".sdocker").exists(), "nothing of the user's either"


BAD_VALUES = [
    ("SDOCKER_HOME", "home/relative", "SDOCKER_HOME is not an absolute plain path"),
    ("SDOCKER_HOME", "/home/../etc", "SDOCKER_HOME is not an absolute plain path"),
    ("SDOCKER_HOME", "/home/a b", "SDOCKER_HOME is not an absolute plain path"),
    ("SDOCKER_CERT_DIR", "/tmp/elsewhere", "SDOCKER_CERT_DIR is not the host's directory"),
    ("SDOCKER_UID", "-1", "SDOCKER_UID is not a number in range"),
    ("SDOCKER_GID", "4294967295", "SDOCKER_GID is not a number in range"),
    ("SDOCKER_UID", "0x10", "SDOCKER_UID is not a number in range"),
    ("SDOCKER_DOCKER_PORT", "65536", "SDOCKER_DOCKER_PORT is not a port"),
    ("SDOCKER_DOCKER_PORT", "0", "SDOCKER_DOCKER_PORT is not a port"),
    ("SDOCKER_HOST_ID", "h-../../etc", "SDOCKER_HOST_ID is not a host id"),
    ("SDOCKER_MOUNTS", "", "SDOCKER_MOUNTS is empty"),
    ("SDOCKER_MOUNTS", "fs-1:/=relative", "SDOCKER_MOUNTS has a mount"),
    ("SDOCKER_MOUNTS", "fs-1:/../x=/mnt/x", "SDOCKER_MOUNTS has a mount"),
    ("SDOCKER_MOUNTS", "fs-1:/=/mnt/*", "SDOCKER_MOUNTS has a mount"),
    ("SDOCKER_GPU", "yes", "SDOCKER_GPU is neither true nor false"),
    ("SDOCKER_TASK_TOKEN", 'AQ","x":"y', "SDOCKER_TASK_TOKEN is not a task token"),
    ("SDOCKER_TASK_TOKEN", "AQ" + "a" * 8191, "SDOCKER_TASK_TOKEN is not a task token"),
    ("SDOCKER_SFN_ENDPOINT", "http://evil/$(id)", "SDOCKER_SFN_ENDPOINT is not an endpoint"),
    ("SDOCKER_REGION", "us-east-1;x", "SDOCKER_REGION is not a region"),
]


@pytest.mark.parametrize("name,bad,why", BAD_VALUES, ids=["%s=%s" % (n, v[:20]) for n, v, _ in BAD_VALUES])
def test_a_claim_with_a_value_of_the_wrong_shape_is_dropped(tmp_path, fake_aws, fake_docker, name, bad, why):
    values = a_claim(tmp_path, fake_aws, "AQclaim-token")
    values[name] = bad
    if name == "SDOCKER_HOME":
        values["SDOCKER_CERT_DIR"] = bad + "/.sdocker/hosts/" + values["SDOCKER_HOST_ID"]
    fake_aws.queue.append(claim_body(values))
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    result = subprocess.run(["bash", SCRIPT], env=pool_env(tmp_path, fake_aws, fake_docker, rounds=1),
                            stdout=subprocess.PIPE, cwd=str(cwd), stderr=subprocess.STDOUT, universal_newlines=True, timeout=30)
    assert result.returncode == 1, result.stdout
    assert targets(fake_aws) == ["AmazonSQS.ReceiveMessage", "AmazonSQS.DeleteMessage"], "dropped unheard"
    log = (tmp_path / "root" / "var" / "lib" / "studiocp" / "bootstrap.log").read_text()
    assert "a malformed claim was dropped (%s" % why in log, log
    assert not claim_file(tmp_path).exists()
    assert list(cwd.iterdir()) == []


def test_the_claim_as_claimpoolhost_renders_it_passes_the_check(tmp_path, fake_aws, fake_docker):
    values = a_claim(tmp_path, fake_aws, "AQ" + "x_-" * 300)
    values["SDOCKER_MOUNTS"] = "10.0.1.5:/200001=%s fs-2.efs.us-east-1.amazonaws.com:/=/mnt/custom-file-systems/efs/fs-2" \
        % values["SDOCKER_HOME"]
    fake_aws.queue.append(claim_body(values))
    env = pool_env(tmp_path, fake_aws, fake_docker, rounds=1)
    subprocess.run(["bash", SCRIPT], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                   universal_newlines=True, timeout=30)
    assert targets(fake_aws)[0] == "AmazonSQS.ReceiveMessage"
    assert sorted(targets(fake_aws)[1:3]) == ["AWSStepFunctions.SendTaskHeartbeat", "AmazonSQS.DeleteMessage"]
    assert claim_file(tmp_path).exists()


def test_a_claim_that_cannot_be_taken_off_the_queue_is_left_for_another(tmp_path, fake_aws, fake_docker):
    fake_aws.refused_deletes = 1
    fake_aws.queue.append(claim_body(a_claim(tmp_path, fake_aws, "AQclaim-token")))
    result = subprocess.run(["bash", SCRIPT], env=pool_env(tmp_path, fake_aws, fake_docker, rounds=2),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=30)
    assert result.returncode == 1, result.stdout
    assert targets(fake_aws)[3:] == ["AmazonSQS.ReceiveMessage"], "it waited on"
    assert not claim_file(tmp_path).exists(), "not this host's claim"
    log = (tmp_path / "root" / "var" / "lib" / "studiocp" / "bootstrap.log").read_text()
    assert "a claim could not be taken off the queue; left for another" in log
    assert "pool host: claimed" not in log


def test_a_claim_whose_workflow_no_longer_waits_is_dropped_and_the_host_waits_on(tmp_path, fake_aws, fake_docker):
    fake_aws.dead_tokens.add("AQdead-token")
    fake_aws.queue.append(claim_body(a_claim(tmp_path, fake_aws, "AQdead-token")))
    result = subprocess.run(["bash", SCRIPT], env=pool_env(tmp_path, fake_aws, fake_docker, rounds=2),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=30)
    assert result.returncode == 1, result.stdout
    calls = targets(fake_aws)
    assert (calls[0], sorted(calls[1:3]), calls[3:]) == (
        "AmazonSQS.ReceiveMessage", ["AWSStepFunctions.SendTaskHeartbeat", "AmazonSQS.DeleteMessage"],
        ["AmazonSQS.ReceiveMessage"]), "taken off the queue all the same, and the host polled on"
    assert not claim_file(tmp_path).exists()
    assert "a stale claim (its workflow no longer waits) was dropped" in (
        tmp_path / "root" / "var" / "lib" / "studiocp" / "bootstrap.log").read_text()

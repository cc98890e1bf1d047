"""host/bootstrap.sh as a script: it parses, shellcheck finds nothing, it refuses to run half-configured,
and a dockerd that dies fails the dockerd step at once (directly started or under systemd, both played
here with stand-ins for dockerd, systemctl, journalctl, the metadata service and Step Functions).

What it does on a host is tested for real by the sandbox's end-to-end suite (local/e2e)."""
import http.server
import json
import os
import shutil
import socket
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
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.calls.append((self.headers.get("X-Amz-Target", ""), json.loads(body)))
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
    assert "--tlsverify" in unit.read_text(), "the unit runs dockerd with TLS"


def test_under_systemd_a_dockerd_that_cannot_start_fails_the_step_with_its_journal(tmp_path, fake_aws):
    tools = tmp_path / "tools"
    tools.mkdir()
    write_tool(tools, "systemctl", '[ "$*" = "restart docker" ] && exit 1\nexit 0\n')
    write_tool(tools, "journalctl", 'echo "failed to load listeners: listen tcp 127.0.0.1:2376: bind: '
                                    'address already in use"\n')
    cause = dockerd_step_failure(bootstrap_env(tmp_path, fake_aws, "systemd", [tools]), fake_aws)
    assert "address already in use" in cause
    assert "systemctl restart docker failed" in cause

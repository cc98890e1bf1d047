"""A Docker host end to end: sdocker create-host, a working context over mutual TLS, isolation
between users, termination, and every way provisioning can fail."""
import hashlib
import json
import os
import ssl
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from sandboxctl import SDOCKER, processes_mentioning, wait_for


def create(sandbox, user, *extra):
    result = sandbox.sdocker(user, "create-host", "--instance-type", "m5.large", *extra)
    return result


def host_json(sandbox, user, host_id):
    result = sandbox.sdocker(user, "--json", "host-status", host_id)
    return json.loads(result.stdout)


def current_host(sandbox, user):
    return sandbox.docker(user, "context", "show").stdout.decode().strip()


@pytest.fixture(scope="module")
def alice_host(sandbox, busybox_image):
    started = time.time()
    result = create(sandbox, "alice")
    elapsed = time.time() - started
    assert result.returncode == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if " PROVISIONING " in line]
    assert progress, "progress is shown while the host provisions"
    assert all(line.split()[-1].endswith("s") for line in progress), "each line shows the elapsed seconds"
    assert len(progress) <= int(elapsed) + 1, "at most one progress line per second"
    host_id = current_host(sandbox, "alice")
    assert host_id.startswith("h-")
    imported = sandbox.docker("alice", "import", "-", "local/busybox:e2e", stdin=busybox_image)
    assert imported.returncode == 0, imported.stderr
    return host_id


def test_create_host_gives_a_working_context_over_mutual_tls(sandbox, alice_host):
    run = sandbox.docker("alice", "--context", alice_host, "run", "--rm", "local/busybox:e2e", "echo", "ok")
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode().strip() == "ok"
    networks = sandbox.docker("alice", "network", "ls", "--format", "{{.Name}}").stdout.decode().split()
    assert "sagemaker" in networks, "SageMaker local mode needs the sagemaker network"


def test_a_new_host_builds_from_its_base_image_without_a_registry(sandbox, alice_host, tmp_path):
    images = sandbox.docker("alice", "image", "ls", "--format", "{{.Repository}}:{{.Tag}}")
    assert "busybox:latest" in images.stdout.decode().split(), "each host starts with the sandbox's base image"
    (tmp_path / "Dockerfile").write_text('FROM busybox\nRUN echo built-on-the-host > /built\nCMD ["cat", "/built"]\n')
    built = sandbox.docker("alice", "build", "-t", "local/built:e2e", str(tmp_path))
    assert built.returncode == 0, built.stderr
    run = sandbox.docker("alice", "run", "--rm", "local/built:e2e")
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode().strip() == "built-on-the-host"


def test_the_client_certificate_is_the_users_and_private(sandbox, alice_host):
    host = host_json(sandbox, "alice", alice_host)
    assert host["certDirectory"].startswith(sandbox.home("alice") + "/.sdocker/hosts/")
    key = os.stat(os.path.join(host["certDirectory"], "key.pem"))
    assert oct(key.st_mode & 0o777) == "0o600"
    assert key.st_uid == 200001, "owned by alice's EFS uid"


def test_a_connection_without_the_client_certificate_is_refused(sandbox, alice_host):
    host = host_json(sandbox, "alice", alice_host)
    context = ssl.create_default_context(cafile=os.path.join(host["certDirectory"], "ca.pem"))
    context.check_hostname = False
    address = host["dockerEndpoint"].replace("tcp://", "https://")
    with pytest.raises((urllib.error.URLError, ssl.SSLError, ConnectionResetError)):
        urllib.request.urlopen(address + "/version", context=context, timeout=10).read()
    plain = subprocess.run(["docker", "-H", host["dockerEndpoint"], "version"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=30)
    assert plain.returncode != 0, "plain TCP without TLS must not reach dockerd"


def test_local_mode_bind_mounts_resolve_on_the_host(sandbox, alice_host):
    home = sandbox.home("alice")
    with open(os.path.join(home, ".sagemaker", "config.yaml")) as f:
        assert "container_root: %s/tmp" % home in f.read()
    run = sandbox.docker("alice", "run", "--rm", "--network", "sagemaker", "-v", home + "/tmp:/opt/ml/input",
                         "local/busybox:e2e", "sh", "-c", "echo from-the-host > /opt/ml/input/marker")
    assert run.returncode == 0, run.stderr
    with open(os.path.join(home, "tmp", "marker")) as f:
        assert f.read().strip() == "from-the-host", "the host sees Studio's files at the same path"


def test_use_host_switches_back_to_a_host(sandbox, alice_host):
    assert sandbox.docker("alice", "context", "use", "default").returncode == 0
    switched = sandbox.sdocker("alice", "use-host", alice_host)
    assert switched.returncode == 0, switched.stderr
    assert current_host(sandbox, "alice") == alice_host
    assert sandbox.docker("alice", "version").returncode == 0


def test_another_user_can_neither_see_nor_terminate_the_host(sandbox, alice_host):
    listed = sandbox.sdocker("bob", "--json", "list-hosts")
    assert listed.returncode == 0
    assert alice_host not in listed.stdout
    refused = sandbox.sdocker("bob", "terminate-host", alice_host)
    assert refused.returncode == 1
    assert refused.stderr.strip() == "sdocker: no host %s of yours (404 NotFound)" % alice_host
    assert host_json(sandbox, "alice", alice_host)["state"] == "READY"


def test_an_admin_sees_every_users_host(sandbox, alice_host):
    listed = sandbox.sdocker("platform-admin", "--json", "list-hosts", "--all")
    assert listed.returncode == 0, listed.stderr
    assert alice_host in [h["hostId"] for h in json.loads(listed.stdout)]


def test_a_reboot_brings_dockerd_back_with_the_same_certificates(sandbox, alice_host):
    host = host_json(sandbox, "alice", alice_host)
    before = hashlib.sha256(open(os.path.join(host["certDirectory"], "cert.pem"), "rb").read()).hexdigest()
    ec2 = sandbox.aws("ec2")
    ec2.stop_instances(InstanceIds=[host["instanceId"]])
    wait_for(lambda: host_json(sandbox, "alice", alice_host)["state"] == "STOPPED", 30, "STOPPED")
    ec2.start_instances(InstanceIds=[host["instanceId"]])
    wait_for(lambda: host_json(sandbox, "alice", alice_host)["state"] == "READY", 30, "READY again")
    run = wait_for(lambda: sandbox.docker("alice", "run", "--rm", "local/busybox:e2e", "echo", "back").returncode == 0,
                   60, "dockerd back after the reboot")
    assert run
    after = hashlib.sha256(open(os.path.join(host["certDirectory"], "cert.pem"), "rb").read()).hexdigest()
    assert before == after, "the same certificates after a reboot"
    log_file = os.path.join(host["certDirectory"], "bootstrap.log")
    log = wait_for(lambda: "already reported ready before" in open(log_file).read() and open(log_file).read(), 30,
                   "the second boot to finish")
    assert log.count("reported ready:") == 1, "no second callback"


def test_the_log_holds_no_secret(sandbox, alice_host):
    host = host_json(sandbox, "alice", alice_host)
    with open(os.path.join(host["certDirectory"], "bootstrap.log")) as f:
        log = f.read()
    assert "sandbox-host-role-secret" not in log
    assert "AQ" not in log.replace("AQUA", ""), "no task token in the log"
    assert "BEGIN EC PRIVATE KEY" not in log


def test_terminate_host_stops_dockerd_terminates_the_instance_and_removes_the_context(sandbox, busybox_image):
    created = create(sandbox, "dave")
    assert created.returncode == 0, created.stderr
    host_id = current_host(sandbox, "dave")
    host = host_json(sandbox, "dave", host_id)
    assert processes_mentioning(host["instanceId"]), "its dockerd runs"

    done = sandbox.sdocker("dave", "terminate-host", host_id)
    assert done.returncode == 0, done.stderr
    assert current_host(sandbox, "dave") == "default"
    assert sandbox.docker("dave", "context", "inspect", host_id).returncode != 0, "the context is gone"
    assert not os.path.exists(host["certDirectory"]), "the certificates are gone"
    state = wait_for(lambda: sandbox.aws("ec2").describe_instances(InstanceIds=[host["instanceId"]])
                     ["Reservations"][0]["Instances"][0]["State"]["Name"] == "terminated", 30, "terminated in moto")
    assert state
    wait_for(lambda: not processes_mentioning(host["instanceId"]), 30, "dockerd to stop")


def write_hook(sandbox, user, name, body, reset_hooks):
    path = os.path.join(sandbox.home(user), ".sdocker", name + ".sh")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(body)
    reset_hooks.append(path)


def instance_of(sandbox, user, host_id):
    return host_json(sandbox, user, host_id).get("instanceId")


def assert_terminated(sandbox, instance_id):
    wait_for(lambda: sandbox.aws("ec2").describe_instances(InstanceIds=[instance_id])
             ["Reservations"][0]["Instances"][0]["State"]["Name"] in ("terminated", "shutting-down"), 30,
             "the instance to be terminated")
    wait_for(lambda: not processes_mentioning(instance_id), 30, "its processes to stop")


def test_a_failing_hook_fails_the_host_naming_the_step(sandbox, reset_hooks):
    write_hook(sandbox, "bob", "pre-bootstrap", "echo installing tools\nexit 3\n", reset_hooks)
    result = create(sandbox, "bob")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "step 'pre-bootstrap' failed" in result.stderr, result.stderr
    host_id = result.stderr.split("requested ")[1].split(" ")[0]
    host = host_json(sandbox, "bob", host_id)
    assert host["state"] == "FAILED"
    assert "installing tools" in host["failureReason"], "the hook's output is in the reason"
    assert_terminated(sandbox, host["instanceId"])


def test_a_host_that_never_calls_back_times_out_and_is_terminated(sandbox, reset_hooks):
    write_hook(sandbox, "carol-smith", "pre-bootstrap", "sleep 600\n", reset_hooks)
    started = time.time()
    result = create(sandbox, "carol-smith")
    assert result.returncode == 1
    assert "did not report ready in time" in result.stderr or "stopped sending heartbeats" in result.stderr, \
        result.stderr
    assert time.time() - started < 60
    host_id = result.stderr.split("requested ")[1].split(" ")[0]
    assert_terminated(sandbox, instance_of(sandbox, "carol-smith", host_id))


def test_killing_dockerd_while_provisioning_fails_and_terminates_the_host(sandbox, reset_hooks):
    write_hook(sandbox, "bob", "post-bootstrap", "sleep 4\n", reset_hooks)
    accepted = sandbox.sdocker("bob", "--json", "create-host", "--instance-type", "m5.large", "--no-wait")
    assert accepted.returncode == 0, accepted.stderr
    host_id = json.loads(accepted.stdout)["hostId"]
    instance_id = wait_for(lambda: instance_of(sandbox, "bob", host_id), 30, "an instance")
    log_file = os.path.join(sandbox.home("bob"), ".sdocker", "hosts", host_id, "bootstrap.log")
    wait_for(lambda: os.path.exists(log_file) and "step post-bootstrap: start" in open(log_file).read(), 30,
             "dockerd to be up and the last hook to run")
    dockerd = wait_for(lambda: [p for p, cmd in processes_mentioning(instance_id) if "dockerd " in cmd + " "
                                and "containerd" not in cmd.split(" ", 1)[0]], 30, "its dockerd")
    os.kill(dockerd[0], 9)
    state = wait_for(lambda: host_json(sandbox, "bob", host_id)["state"] in ("FAILED",) and
                     host_json(sandbox, "bob", host_id), 60, "FAILED")
    assert "step 'report' failed" in state["failureReason"], state["failureReason"]
    assert "no longer answers" in state["failureReason"]
    assert_terminated(sandbox, instance_id)


def test_errors_from_the_api_are_one_line(sandbox):
    result = sandbox.sdocker("bob", "create-host", "--instance-type", "p4d.24xlarge")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("sdocker: instanceType: p4d.24xlarge is not allowed here")


def test_unsigned_and_badly_signed_calls_are_refused_with_403(sandbox):
    with pytest.raises(urllib.error.HTTPError) as unsigned:
        urllib.request.urlopen(sandbox.ready["api"] + "/hosts", timeout=10)
    assert unsigned.value.code == 403
    env = sandbox.env("alice")
    env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
    result = subprocess.run([SDOCKER, "list-hosts"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert result.returncode == 1
    assert "signature we calculated does not match" in result.stderr


def test_the_aws_cli_speaks_to_the_local_step_functions(sandbox, alice_host):
    env = dict(sandbox.env("alice"), AWS_ACCESS_KEY_ID="any", AWS_SECRET_ACCESS_KEY="any")
    described = subprocess.run(["aws", "stepfunctions", "describe-execution", "--endpoint-url",
                                sandbox.ready["stepFunctions"], "--execution-arn",
                                sandbox.ready["stateMachineArn"].replace(":stateMachine:", ":execution:") + ":" + alice_host],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                               timeout=60)
    assert described.returncode == 0, described.stderr
    assert json.loads(described.stdout)["status"] == "SUCCEEDED"
    refused = subprocess.run(["aws", "stepfunctions", "send-task-success", "--endpoint-url",
                              sandbox.ready["stepFunctions"], "--task-token", "AQnotatoken", "--task-output", "{}"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                             timeout=60)
    assert refused.returncode != 0
    assert "InvalidToken" in refused.stderr


def test_the_sandbox_says_where_the_api_listens_and_what_to_try_first(sandbox):
    def banner():
        with open(os.path.join(sandbox.state_dir, "sandbox.log")) as f:
            text = f.read()
        return text if "Ctrl-C stops everything." in text else None

    text = wait_for(banner, 10, "the sandbox's banner")
    assert sandbox.ready["api"] in text
    assert "region " + sandbox.ready["region"] in text
    assert "(alice, bob, carol-smith, dave; admin: platform-admin)" in text
    assert "source " in text and "/users/alice.env" in text
    assert "\n  sdocker create-host --instance-type m5.large\n" in text, "sdocker is on the PATH the env file sets"


def test_a_users_env_file_puts_the_built_client_on_the_path(sandbox):
    env_file = sandbox.ready["users"]["alice"]
    shell = subprocess.run(["bash", "-c", 'source "$1" && command -v sdocker && sdocker --json list-hosts', "-",
                            env_file], env={"PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true"},
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert shell.returncode == 0, shell.stderr
    found, listed = shell.stdout.split("\n", 1)
    assert os.path.realpath(found) == os.path.realpath(SDOCKER), "the file make build made, what users install"
    assert isinstance(json.loads(listed), list)

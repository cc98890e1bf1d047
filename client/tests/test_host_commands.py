"""The hosts' commands against the API played by a local server: the Docker context (in Docker's
store, read back with the real docker CLI), local mode's settings, certificates, output."""
import functools
import hashlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import types

import pytest

from studiocp_client import docker
from studiocp_client.commands import hosts

HOST_ID = "h-0123456789abcdef"

def docker_cli(home, *args):
    """The real docker CLI, as the user runs it (their HOME): it reads the context store sdocker wrote."""
    if shutil.which("docker") is None:
        pytest.fail("these tests read the Docker context with the real docker CLI: install it (apt-get install docker.io)")
    result = subprocess.run(["docker"] + list(args), env=dict(os.environ, HOME=str(home)), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def store(home, name):
    """The context's metadata and TLS directory in Docker's store, where the docker CLI keeps them."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    meta = home / ".docker" / "contexts" / "meta" / digest / "meta.json"
    return (json.loads(meta.read_text()) if meta.exists() else None), home / ".docker" / "contexts" / "tls" / digest


def docker_config(home):
    path = home / ".docker" / "config.json"
    return json.loads(path.read_text()) if path.exists() else None


@pytest.fixture
def run(sdocker, api, metadata):
    """sdocker against the fake API, as alice."""
    def with_api(*args):
        return sdocker("--endpoint", api.endpoint, "--region", "us-east-1", "--metadata", str(metadata), *args)
    return with_api


@functools.lru_cache(maxsize=None)
def pem_files():
    """A certificate and its key as a host's bootstrap makes them (openssl, EC P-256): files docker can load."""
    directory = tempfile.mkdtemp(prefix="sdocker-pem-")
    try:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                        "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=studiocp-test", "-days", "2"],
                       cwd=directory, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        read = lambda name: open(os.path.join(directory, name), "rb").read()  # noqa: E731
        return {"ca.pem": read("cert.pem"), "cert.pem": read("cert.pem"), "key.pem": read("key.pem")}
    finally:
        shutil.rmtree(directory)


def ready_host(home, **extra):
    certs = home / "efs" / ".sdocker" / "hosts" / HOST_ID
    certs.mkdir(parents=True, exist_ok=True)
    for name, data in pem_files().items():
        (certs / name).write_bytes(data)
    return dict({"hostId": HOST_ID, "state": "READY", "instanceType": "m5.large", "instanceId": "i-0abc",
                 "dockerEndpoint": "tcp://ip-10-0-1-5.ec2.internal:1111", "certDirectory": str(certs),
                 "createdAt": "2025-01-31T16:00:00Z", "expiresAt": "2025-02-01T04:00:00Z"}, **extra)


def test_use_host_writes_the_context_and_points_local_mode_at_the_shared_home(run, api, home):
    host = ready_host(home)
    api.answer(200, host)
    code, out, err = run("use-host", HOST_ID)
    assert code == 0, err
    meta, tls = store(home, HOST_ID)
    assert meta == {"Name": HOST_ID, "Metadata": {"Description": "sdocker m5.large (i-0abc)"},
                    "Endpoints": {"docker": {"Host": "tcp://ip-10-0-1-5.ec2.internal:1111", "SkipTLSVerify": False}}}
    for name in ("ca.pem", "cert.pem", "key.pem"):
        assert (tls / "docker" / name).read_bytes() == pem_files()[name], "a copy, as docker context create makes"
        assert oct((tls / "docker" / name).stat().st_mode & 0o777) == "0o600"
    for level in (tls.parent, tls, tls / "docker"):
        assert oct(level.stat().st_mode & 0o777) == "0o700", level
    assert docker_config(home) == {"currentContext": HOST_ID}
    # The docker CLI reads what was written: the context, its endpoint and TLS files, and that it is current.
    assert docker_cli(home, "context", "show") == HOST_ID
    inspected = json.loads(docker_cli(home, "context", "inspect", HOST_ID))[0]
    assert inspected["Endpoints"]["docker"]["Host"] == "tcp://ip-10-0-1-5.ec2.internal:1111"
    assert inspected["Metadata"]["Description"] == "sdocker m5.large (i-0abc)"
    assert sorted(inspected["TLSMaterial"]["docker"]) == ["ca.pem", "cert.pem", "key.pem"]
    container_root = str(home / "efs" / "tmp")
    assert out == ("Docker host %s is ready at tcp://ip-10-0-1-5.ec2.internal:1111\n"
                   "Current context is now \"%s\"; SageMaker local mode uses %s\n" % (HOST_ID, HOST_ID, container_root))
    assert err == ""
    assert (home / ".sagemaker" / "config.yaml").read_text() == (
        "local:\n  local_code: true\n  region_name: us-east-1\n  container_root: %s\n" % container_root)
    assert os.path.isdir(container_root)
    assert [r.method + " " + r.path for r in api.requests] == ["GET /v1/hosts/" + HOST_ID]


def test_use_host_again_replaces_the_context_keeps_dockers_other_settings_and_says_so_in_json(run, api, home):
    config = home / ".docker" / "config.json"
    config.parent.mkdir()
    config.write_text(json.dumps({"auths": {"registry.example.com": {"auth": "eA=="}}, "credsStore": "desktop",
                                  "currentContext": "other"}))
    config.chmod(0o640)
    api.answer(200, ready_host(home, dockerEndpoint="tcp://ip-10-0-1-9.ec2.internal:1111"))
    assert run("use-host", HOST_ID)[0] == 0
    api.answer(200, ready_host(home, dockerEndpoint="tcp://ip-10-0-1-5.ec2.internal:1111"))
    code, out, err = run("--json", "use-host", HOST_ID)
    assert code == 0, err
    assert store(home, HOST_ID)[0]["Endpoints"]["docker"]["Host"] == "tcp://ip-10-0-1-5.ec2.internal:1111"
    assert docker_config(home) == {"auths": {"registry.example.com": {"auth": "eA=="}}, "credsStore": "desktop",
                                   "currentContext": HOST_ID}
    assert oct(config.stat().st_mode & 0o777) == "0o640", "config.json keeps its mode"
    shown = json.loads(out)
    assert shown["context"] == HOST_ID and shown["containerRoot"] == str(home / "efs" / "tmp")
    assert shown["expiresAt"] == "2025-02-01T04:00:00Z"


def test_docker_config_points_at_the_store_and_a_linked_config_json_stays_a_link(run, api, home, monkeypatch):
    elsewhere = home / "dotfiles"
    elsewhere.mkdir()
    (elsewhere / "docker.json").write_text('{"auths": {}}')
    custom = home / "custom-docker"
    custom.mkdir()
    (custom / "config.json").symlink_to(elsewhere / "docker.json")
    monkeypatch.setenv("DOCKER_CONFIG", str(custom))
    api.answer(200, ready_host(home))
    code, _, err = run("use-host", HOST_ID)
    assert code == 0, err
    assert (custom / "config.json").is_symlink()
    assert json.loads((elsewhere / "docker.json").read_text()) == {"auths": {}, "currentContext": HOST_ID}
    assert (custom / "contexts" / "meta" / hashlib.sha256(HOST_ID.encode()).hexdigest() / "meta.json").exists()
    assert not (home / ".docker").exists(), "nothing written to ~/.docker when DOCKER_CONFIG says where"


def test_a_docker_config_that_is_not_json_is_exit_4_and_nothing_is_written(run, api, home):
    config = home / ".docker" / "config.json"
    config.parent.mkdir()
    config.write_text("{not json")
    api.answer(200, ready_host(home))
    code, _, err = run("use-host", HOST_ID)
    assert code == 4
    assert err.startswith("sdocker: %s is not valid JSON (" % config) and err.endswith(
        "); fix or remove it, then run the command again\n"), err
    assert config.read_text() == "{not json"
    assert store(home, HOST_ID)[0] is None and not (home / ".docker" / "contexts").exists()


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_docker_loads_the_contexts_tls_files_and_only_then_finds_no_daemon(run, api, home):
    endpoint = "tcp://127.0.0.1:%d" % closed_port()
    api.answer(200, ready_host(home, dockerEndpoint=endpoint))
    assert run("use-host", HOST_ID)[0] == 0
    result = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], env=dict(os.environ, HOME=str(home)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert result.returncode != 0
    # A TLS file docker cannot load ends it before any connection ("Failed to initialize: no valid private key found").
    assert result.stderr.startswith("Cannot connect to the Docker daemon at %s" % endpoint), result.stderr


def test_a_certificate_that_is_not_pem_is_refused_and_nothing_is_written(run, api, home):
    host = ready_host(home)
    with open(os.path.join(host["certDirectory"], "cert.pem"), "w") as f:
        f.write("half a file")
    api.answer(200, host)
    code, _, err = run("use-host", HOST_ID)
    assert (code, err) == (1, "sdocker: %s/cert.pem is not a PEM file; see %s/bootstrap.log\n" % (
        host["certDirectory"], host["certDirectory"]))
    assert not (home / ".docker").exists()


def test_docker_host_in_the_environment_makes_the_default_context_current_as_docker_takes_it(run, api, home,
                                                                                          monkeypatch):
    api.answer(200, ready_host(home))
    assert run("use-host", HOST_ID)[0] == 0
    monkeypatch.setenv("DOCKER_HOST", "tcp://elsewhere:2376")
    assert docker_cli(home, "context", "show") == "default", "the docker CLI's own reading"
    code, _, err = run("terminate-current-host")
    assert code == 2
    assert err.startswith("sdocker: the current Docker context 'default' is not an sdocker host"), err
    assert store(home, HOST_ID)[0] is not None, "nothing removed"


def test_terminating_a_host_forgets_its_context_even_with_an_unreadable_docker_config(run, api, home):
    host = ready_host(home)
    api.answer(200, host)
    assert run("use-host", HOST_ID)[0] == 0
    (home / ".docker" / "config.json").write_text("{broken")
    api.answer(202, dict(host, state="TERMINATING"))
    code, out, err = run("terminate-host", HOST_ID)
    assert code == 0, err
    meta, tls = store(home, HOST_ID)
    assert meta is None and not tls.exists(), "its context is gone, as docker context rm -f removes it"
    assert not os.path.exists(host["certDirectory"])
    assert (home / ".docker" / "config.json").read_text() == "{broken", "the file is left for the user to mend"


def test_a_host_that_is_not_ready_is_not_used(run, api, home):
    api.answer(200, ready_host(home, state="FAILED", failureReason="step 'dockerd' failed"))
    code, _, err = run("use-host", HOST_ID)
    assert (code, err) == (1, "sdocker: %s is FAILED, not READY: step 'dockerd' failed\n" % HOST_ID)
    assert not (home / ".docker").exists()


def test_without_the_docker_cli_the_context_is_written_and_a_note_says_to_install_it(run, api, home, monkeypatch):
    monkeypatch.setenv("PATH", str(home))
    api.answer(200, ready_host(home))
    code, _, err = run("use-host", HOST_ID)
    assert (code, err) == (0, "note: the docker CLI is not on the PATH; install it to use the context '%s'\n" % HOST_ID)
    assert docker_config(home) == {"currentContext": HOST_ID}


def test_create_host_sends_the_request_once_and_returns_at_once_with_no_wait(run, api, home):
    api.answer(202, {"hostId": HOST_ID, "state": "PROVISIONING", "instanceType": "m5.large"})
    code, out, err = run("--json", "create-host", "--instance-type", "m5.large", "--subnet-id", "subnet-1",
                         "--volume-gib", "200", "--ttl-hours", "4", "--extra-port", "8888", "--extra-port", "6006",
                         "--no-wait")
    assert code == 0, err
    assert json.loads(out) == {"hostId": HOST_ID, "state": "PROVISIONING", "instanceType": "m5.large"}
    assert err == "", "nothing but JSON in --json mode"
    [request] = api.requests
    assert (request.method, request.path) == ("POST", "/v1/hosts")
    assert request.json() == {"instanceType": "m5.large", "subnetId": "subnet-1", "volumeGiB": 200, "ttlHours": 4,
                              "extraPorts": [8888, 6006]}
    assert request.headers["Idempotency-Key"]
    assert request.headers["X-Studio-User-Profile"] == "alice"


def stopped_clock(monkeypatch):
    """The client's clock stands still but for its own pauses (recorded): no call takes any time."""
    now = [1000.0]
    pauses = []

    def sleep(seconds):
        pauses.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(hosts, "time", types.SimpleNamespace(time=lambda: now[0], sleep=sleep))
    return pauses


def test_create_host_follows_the_host_and_names_why_it_failed(run, api, home, monkeypatch):
    pauses = stopped_clock(monkeypatch)
    provisioning = {"hostId": HOST_ID, "state": "PROVISIONING"}
    api.answer(202, provisioning).answer(200, provisioning)
    api.answer(200, dict(provisioning, state="FAILED", failureReason="the host did not report ready in time"))
    code, _, err = run("create-host", "--instance-type", "m5.large")
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == "requested %s (m5.large); provisioning" % HOST_ID
    assert lines[1].startswith("%s PROVISIONING " % HOST_ID) and lines[1].endswith("s")
    assert lines[-1] == "sdocker: %s did not become ready: the host did not report ready in time" % HOST_ID
    assert [r.method for r in api.requests] == ["POST", "GET", "GET"]
    assert [r.path for r in api.requests[1:]] == ["/v1/hosts/%s?waitSeconds=1" % HOST_ID] * 2, \
        "each look asks the API to hold its answer until the state changes"
    assert pauses == [hosts.POLL_SECONDS], \
        "an API that answered at once (it did not wait) is not asked again sooner than every 0.1 s"


def test_an_api_older_than_wait_seconds_is_polled(run, api, home, monkeypatch):
    pauses = stopped_clock(monkeypatch)
    provisioning = {"hostId": HOST_ID, "state": "PROVISIONING"}
    api.answer(202, provisioning)
    api.answer(400, {"error": "UnknownParameter", "message": "waitSeconds: unknown query parameter; this call takes "
                                                             "none"})
    api.answer(200, provisioning).answer(200, provisioning)
    api.answer(200, dict(provisioning, state="FAILED", failureReason="capacity"))
    code, _, err = run("create-host", "--instance-type", "m5.large")
    assert (code, err.splitlines()[-1]) == (1, "sdocker: %s did not become ready: capacity" % HOST_ID)
    assert [r.path for r in api.requests[1:]] == ["/v1/hosts/%s?waitSeconds=1" % HOST_ID] + [
        "/v1/hosts/%s" % HOST_ID] * 3, "asked once to wait; refused, it polls without"
    assert pauses == [hosts.POLL_SECONDS] * 2


def test_list_hosts_prints_times_in_utc_and_json_as_the_api_gave_them(run, api, home):
    listed = {"hosts": [
        {"hostId": HOST_ID, "state": "READY", "instanceType": "m5.large", "hourlyUsd": 0.1031,
         "dockerEndpoint": "tcp://ip-10-0-1-5:1111", "expiresAt": "2025-02-01T04:00:00Z"},
        {"hostId": "h-fedcba9876543210", "state": "PROVISIONING", "instanceType": "c5.xlarge",
         "expiresAt": "2025-02-01T05:30:00.123456789Z"},
    ]}
    api.answer(200, listed).answer(200, listed)
    code, out, _ = run("list-hosts")
    assert code == 0
    assert out.splitlines() == [
        "HOST                 STATE         TYPE          $/HOUR   DOCKER ENDPOINT              EXPIRES                ",
        "%s   READY         m5.large      0.103    tcp://ip-10-0-1-5:1111       2025-02-01 04:00:00 UTC" % HOST_ID,
        "h-fedcba9876543210   PROVISIONING  c5.xlarge     -        -                            2025-02-01 05:30:00 UTC",
    ]
    code, out, _ = run("--json", "list-hosts")
    assert json.loads(out) == listed["hosts"]
    assert json.loads(out)[0]["expiresAt"] == "2025-02-01T04:00:00Z", "ISO-8601 with Z, unchanged"


def test_admins_list_everyones_hosts_with_their_owners(run, api, home):
    api.answer(200, {"hosts": [{"hostId": HOST_ID, "state": "STOPPED", "instanceType": "m5.large",
                                "owner": {"domainId": "d-sandbox0001", "userProfileName": "bob"}}]})
    code, out, _ = run("list-hosts", "--all", "--owner", "d-sandbox0001/bob")
    assert code == 0
    assert out.splitlines()[0].endswith("EXPIRES                 OWNER")
    assert out.splitlines()[1].endswith("-                       d-sandbox0001/bob")
    assert api.requests[0].path == "/v1/hosts?all=true&owner=d-sandbox0001%2Fbob"


def test_list_hosts_says_when_there_are_none(run, api):
    api.answer(200, {"hosts": []})
    assert run("list-hosts")[:2] == (0, "no hosts\n")


def test_host_status_of_a_failed_host_is_exit_1(run, api, home):
    api.answer(200, ready_host(home, state="FAILED", failureReason="step 'network' failed", extraPorts=[8888]))
    code, out, _ = run("host-status", HOST_ID)
    assert code == 1
    assert "state            FAILED\n" in out
    assert "extra ports      8888\n" in out
    assert "failure          step 'network' failed\n" in out


def test_host_status_says_what_a_host_costs_and_that_a_stopped_one_costs_its_volume_only(run, api, home):
    host = ready_host(home, state="READY", hourlyUsd=0.2041)
    api.answer(200, host)
    code, out, _ = run("host-status", HOST_ID)
    assert "cost             $0.204 an hour\n" in out
    api.answer(200, dict(host, state="STOPPED", hourlyUsd=0.011, stopReason="stopped by its owner"))
    code, out, _ = run("host-status", HOST_ID)
    assert "cost             $0.011 an hour (its volume only, while stopped)\n" in out


def test_terminate_current_host_removes_its_context_and_certificates(run, api, home):
    host = ready_host(home, state="TERMINATING")
    api.answer(200, ready_host(home))
    assert run("use-host", HOST_ID)[0] == 0
    config = json.loads((home / ".docker" / "config.json").read_text())
    (home / ".docker" / "config.json").write_text(json.dumps(dict(config, auths={})))
    api.requests.clear()
    api.answer(200, host)
    code, out, err = run("terminate-current-host")
    assert (code, out) == (0, "%s is TERMINATING; its context and certificates are removed\n" % HOST_ID), err
    [request] = api.requests
    assert (request.method, request.path) == ("DELETE", "/v1/hosts/" + HOST_ID)
    assert request.headers["Idempotency-Key"], "a DELETE is keyed too"
    meta, tls = store(home, HOST_ID)
    assert meta is None and not tls.exists()
    assert docker_config(home) == {"auths": {}}, "back to the default context, other settings kept"
    assert docker_cli(home, "context", "show") == "default"
    assert not os.path.exists(host["certDirectory"])


def test_terminate_current_host_needs_a_host_context(run, api):
    code, _, err = run("terminate-current-host")
    assert code == 2
    assert err == ("sdocker: the current Docker context 'default' is not an sdocker host; name one, "
                   "or list them with 'sdocker list-hosts'\n")
    assert api.requests == []


def test_local_mode_points_at_the_shared_home_and_keeps_other_settings(home):
    config = home / ".sagemaker" / "config.yaml"
    config.parent.mkdir()
    config.write_text("SageMaker:\n  PythonSDK:\n    Modules: {}\nlocal:\n  local_code: true\n  container_root: /old\n")
    shared = home / "efs-home"
    host = {"certDirectory": str(shared / ".sdocker" / "hosts" / HOST_ID)}
    root = docker.configure_local_mode(host, "us-east-1")
    assert root == str(shared / "tmp")
    assert os.path.isdir(root)
    text = config.read_text()
    assert "  container_root: %s\n" % root in text
    assert "/old" not in text
    assert text.startswith("SageMaker:\n  PythonSDK:\n"), "other settings stay"


def test_forgetting_a_host_deletes_only_its_own_certificate_directory(home):
    victim = home / "important"
    victim.mkdir()
    docker.forget_host(HOST_ID, str(victim))
    assert victim.exists(), "a directory that is not .sdocker/hosts/<host id> is never deleted"
    certs = home / ".sdocker" / "hosts" / HOST_ID
    certs.mkdir(parents=True, exist_ok=True)
    (certs / "key.pem").write_text("x")
    docker.forget_host(HOST_ID, str(certs))
    assert not certs.exists()

"""Sandboxes on one machine, and every way one ends: two side by side (each with its own addresses and
Docker networks), one started from a background shell (SIGINT ignored) and stopped with SIGTERM, one
SIGKILLed (its keeper reaps it), one SIGKILLed with its keeper (the next start reaps it)."""
import contextlib
import json
import os
import signal
import socket
import subprocess

import pytest

from sandboxctl import (REPO, SandboxProcess, alive, interfaces_in, processes_mentioning, processes_of, sandbox_command,
                        slot_held, wait_until)

REAPED_WITHIN = 60


def in_range(cidr, address):
    network, bits = cidr.split("/")
    number = lambda a: int.from_bytes(socket.inet_aton(a), "big")  # noqa: E731
    mask = (0xFFFFFFFF << (32 - int(bits))) & 0xFFFFFFFF
    return number(address) & mask == number(network) & mask


def start(state_dir, background=False):
    sandbox = SandboxProcess(state_dir, ["--launch-timeout", "60", "--heartbeat", "30"], background=background)
    try:
        return sandbox.start()
    except RuntimeError as e:
        pytest.fail(str(e))


def stop_and_check(sandbox):
    leftovers = sandbox.stop()
    assert leftovers == [], "left behind after SIGTERM: %s" % leftovers
    assert sandbox.returncode == 0, sandbox.log()[-2000:]
    assert "stopping everything the sandbox started" in sandbox.log()


def working_host(sandbox, user):
    """Creates a host as this user and shows its context works; returns the host."""
    created = sandbox.sdocker(user, "--json", "create-host", "--instance-type", "m5.large")
    assert created.returncode == 0, created.stderr
    host = json.loads(created.stdout)
    run = sandbox.docker(user, "run", "--rm", "busybox", "echo", "ok")
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode().strip() == "ok"
    return host


def subnet_of_sagemaker_network(sandbox, user):
    inspected = sandbox.docker(user, "network", "inspect", "sagemaker", "--format", "{{(index .IPAM.Config 0).Subnet}}")
    assert inspected.returncode == 0, inspected.stderr
    return inspected.stdout.decode().strip()


def dockerd_pids(runtime_dir):
    return [pid for pid, cmd in processes_of(runtime_dir) if cmd.split(" ", 1)[0].endswith("dockerd")]


@contextlib.contextmanager
def stopped_if_failing(sandbox):
    """A test that fails before it kills its sandbox stops it: left running, it would hold its state directory
    and its slot for the tests after it."""
    try:
        yield sandbox
    except BaseException:
        sandbox.stop()
        raise


@pytest.fixture(scope="module")
def background_sandbox(tmp_path_factory):
    """A second sandbox, started as a background shell starts a job: its own session, SIGINT ignored."""
    sandbox = start(tmp_path_factory.mktemp("background"), background=True)
    try:
        yield sandbox
    finally:
        leftovers = sandbox.stop()
        assert leftovers == [], "left behind after SIGTERM: %s" % leftovers


def test_a_docker_port_that_cannot_be_bound_fails_its_host_at_once_naming_the_step(background_sandbox):
    # An instance listens on the private IP moto gives it, from the first domain's subnets (the
    # slot's 127.X.0.0/24 and 127.X.1.0/24; AWS keeps .0-.3 of each): take the Docker port on the
    # first addresses of both, so whichever the host gets is taken. (SO_REUSEADDR: a host of an
    # earlier sandbox in this slot may have left connections in TIME_WAIT there; a listening socket
    # still keeps the host's TLS front from binding.)
    prefix = background_sandbox.ready["hostAddresses"].rsplit(".", 2)[0]
    port = int(background_sandbox.ready["functionSettings"].get("DOCKER_PORT", "1111"))
    taken = []
    try:
        for subnet in (0, 1):
            for last in range(4, 20):
                s = socket.socket()
                taken.append(s)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("%s.%d.%d" % (prefix, subnet, last), port))
                s.listen()
        result = background_sandbox.sdocker("bob", "create-host", "--instance-type", "m5.large")
    finally:
        for s in taken:
            s.close()
    assert result.returncode == 1, result.stderr
    assert "step 'tls' failed" in result.stderr, result.stderr
    host_id = result.stderr.split("requested ")[1].split(" ")[0]
    host = json.loads(background_sandbox.sdocker("bob", "--json", "host-status", host_id).stdout)
    assert host["state"] == "FAILED"
    assert "the TLS front exited before it answered" in host["failureReason"], "not a missed heartbeat"
    assert "address already in use" in host["failureReason"], "the tail of the front's log says why"


def test_two_sandboxes_side_by_side_each_get_a_working_host(sandbox, background_sandbox):
    first, second = sandbox.ready, background_sandbox.ready
    assert first["slot"] != second["slot"]
    assert first["runtimeDir"] != second["runtimeDir"]
    assert first["hostAddresses"] != second["hostAddresses"] and first["hostNetworks"] != second["hostNetworks"]

    one = working_host(sandbox, "carol-smith")
    two = working_host(background_sandbox, "alice")
    assert in_range(first["hostAddresses"], one["dockerEndpoint"].split("//")[1].split(":")[0])
    assert in_range(second["hostAddresses"], two["dockerEndpoint"].split("//")[1].split(":")[0])
    subnet_one = subnet_of_sagemaker_network(sandbox, "carol-smith")
    subnet_two = subnet_of_sagemaker_network(background_sandbox, "alice")
    assert in_range(first["hostNetworks"], subnet_one.split("/")[0])
    assert in_range(second["hostNetworks"], subnet_two.split("/")[0])
    assert subnet_one != subnet_two, "two hosts' sagemaker networks never share a subnet"
    for box, user, host in ((sandbox, "carol-smith", one), (background_sandbox, "alice", two)):
        done = box.sdocker(user, "terminate-host", host["hostId"])
        assert done.returncode == 0, done.stderr


def test_a_sandbox_started_from_a_background_shell_stops_on_sigterm_and_leaves_nothing(background_sandbox):
    with open("/proc/%d/status" % background_sandbox.ready["pid"]) as f:
        ignored = int([line for line in f if line.startswith("SigIgn:")][0].split()[1], 16)
    assert ignored & (1 << (signal.SIGINT - 1)), "SIGINT is ignored, as in a background shell"
    working_host(background_sandbox, "dave")
    stop_and_check(background_sandbox)


@pytest.fixture(scope="module")
def state_dir(tmp_path_factory):
    """One state directory for a sandbox's successive lives."""
    return tmp_path_factory.mktemp("lives")


def test_a_sigkilled_sandbox_is_reaped_by_its_keeper(state_dir):
    sandbox = start(state_dir)
    ready = sandbox.ready
    with stopped_if_failing(sandbox):
        working_host(sandbox, "alice")
        container = sandbox.docker("alice", "run", "-d", "busybox", "sleep", "600")
        assert container.returncode == 0, container.stderr
        assert dockerd_pids(ready["runtimeDir"]), "a dockerd runs"
        assert interfaces_in(ready["hostNetworks"]), "its sagemaker network has a bridge"

    sandbox.kill()

    def nothing_left():
        return (not processes_of(ready["runtimeDir"]) and not alive(ready["motoPid"]) and not alive(ready["keeperPid"])
                and not interfaces_in(ready["hostNetworks"]) and not os.path.exists(ready["runtimeDir"]))
    assert wait_until(nothing_left, REAPED_WITHIN), "left %s" % sandbox.leftovers()
    assert wait_until(lambda: not slot_held(ready["runtimeDir"]), 10), "the slot is free again"
    reaped = [line for line in sandbox.log().splitlines() if "is gone; reaped what it left" in line]
    assert len(reaped) == 1, sandbox.log()[-2000:]
    assert "dockerd" in reaped[0] and "moto" in reaped[0] and ready["runtimeDir"] in reaped[0]


def test_a_start_reaps_what_a_sandbox_killed_with_its_keeper_left(state_dir):
    sandbox = start(state_dir)  # the same state directory as the sandbox killed before: it starts
    ready = sandbox.ready
    with stopped_if_failing(sandbox):
        working_host(sandbox, "alice")
        dockerds = dockerd_pids(ready["runtimeDir"])
        assert dockerds
    # The keeper is frozen first so that it cannot reap: both die as if the machine's OOM killer took them.
    os.kill(ready["keeperPid"], signal.SIGSTOP)
    sandbox.kill()
    os.kill(ready["keeperPid"], signal.SIGKILL)
    assert wait_until(lambda: not alive(ready["keeperPid"]), 10)
    assert all(alive(pid) for pid in dockerds), "nothing reaped them"
    assert wait_until(lambda: not slot_held(ready["runtimeDir"]), 10), "the kernel released the dead keeper's lock"

    successor = start(state_dir)
    try:
        reaped = [line for line in successor.log().splitlines()
                  if "reaped what the sandbox with pid %d" % ready["pid"] in line]
        assert len(reaped) == 1, successor.log()[-3000:]
        assert "dockerd" in reaped[0] and os.path.join(str(state_dir), "state") in reaped[0]
        assert not any(alive(pid) for pid in dockerds)
        assert not alive(ready["motoPid"])
        assert not interfaces_in(ready["hostNetworks"]) or successor.ready["hostNetworks"] == ready["hostNetworks"]
        working_host(successor, "alice")
    finally:
        stop_and_check(successor)


def test_a_start_that_times_out_is_stopped_and_leaves_nothing(tmp_path):
    sandbox = SandboxProcess(tmp_path, ["--no-hosts"], start_timeout=1)
    with pytest.raises(RuntimeError, match="was not up within 1 s"):
        sandbox.start()
    assert sandbox.returncode == 0, "stopped with SIGTERM, a stop: " + sandbox.log()[-2000:]
    assert sandbox.leftovers() == []
    # The sandbox and its keeper name the state directory on their command lines.
    assert wait_until(lambda: not processes_mentioning(str(tmp_path)), REAPED_WITHIN), processes_mentioning(str(tmp_path))


def test_a_second_sandbox_in_the_same_state_directory_is_refused(sandbox):
    state = os.path.join(sandbox.state_dir, "state")
    second = subprocess.run(sandbox_command() + ["--state-dir", state, "--no-hosts", "--api-port", "0"], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=180)
    assert second.returncode == 1, second.stderr
    assert second.stderr.strip() == ("sandbox: %s is in use by the sandbox with pid %d; stop it first, or pass another "
                                     "--state-dir" % (state, sandbox.ready["pid"]))
    assert os.path.exists(sandbox.ready["users"]["alice"]), "the living sandbox's files are untouched"

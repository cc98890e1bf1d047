"""The warm pool end to end, in a sandbox of its own with a pool of one m5.large in the seed's domain:
the cleanup fills it, create-host claims the waiting host (the user's host is the pool host's
instance, and the context works), the pool is refilled, and with the pool empty create-host
launches a fresh host."""
import json
import urllib.request

import pytest

from conftest import running_sandbox
from sandboxctl import wait_for

DOMAIN = "d-sandbox0001"


@pytest.fixture(scope="module")
def pooled(tmp_path_factory):
    pool = json.dumps({DOMAIN: {"sizes": {"m5.large": 1}}})
    yield from running_sandbox(tmp_path_factory.mktemp("pool"), "--cleanup-every", "0", "--set", "WARM_POOL=" + pool)


def cleanup(sandbox):
    root = sandbox.ready["api"].rsplit("/", 1)[0]
    request = urllib.request.Request(root + "/_sandbox/cleanup", data=b"{}", method="POST")
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def pool_hosts(sandbox):
    reservations = sandbox.aws("ec2").describe_instances(Filters=[
        {"Name": "tag:studiocp:state", "Values": ["POOLED"]},
        {"Name": "tag-key", "Values": ["studiocp:pool"]},
        {"Name": "instance-state-name", "Values": ["pending", "running"]}])["Reservations"]
    return [i["InstanceId"] for r in reservations for i in r["Instances"]]


def status(sandbox, user, host_id):
    return json.loads(sandbox.sdocker(user, "--json", "host-status", host_id).stdout)


def test_create_host_claims_the_pool_host_and_the_pool_is_refilled(pooled):
    report = cleanup(pooled)
    launched = [a["resourceId"] for a in report["actions"] if a["kind"] == "LAUNCH_POOL_HOST"]
    assert len(launched) == 1, report
    assert pool_hosts(pooled) == launched

    result = pooled.sdocker("alice", "create-host", "--instance-type", "m5.large")
    assert result.returncode == 0, result.stderr
    host_id = pooled.docker("alice", "context", "show").stdout.decode().strip()
    host = status(pooled, "alice", host_id)
    assert host["instanceId"] == launched[0], "the user's host is the pool host: %s" % host
    assert host["state"] == "READY"
    version = pooled.docker("alice", "version", "--format", "{{.Server.Version}}")
    assert version.returncode == 0, version.stderr

    wait_for(lambda: len(pool_hosts(pooled)) == 1 and pool_hosts(pooled) != launched, 60, "the pool to be refilled")

    # With the pool emptied, the next create-host launches a fresh host.
    pooled.aws("ec2").terminate_instances(InstanceIds=pool_hosts(pooled))
    wait_for(lambda: pool_hosts(pooled) == [], 60, "the pool to be empty")
    fresh = pooled.sdocker("bob", "create-host", "--instance-type", "m5.large")
    assert fresh.returncode == 0, fresh.stderr
    bob_host = status(pooled, "bob", pooled.docker("bob", "context", "show").stdout.decode().strip())
    assert bob_host["instanceId"] not in launched
    assert bob_host["state"] == "READY"

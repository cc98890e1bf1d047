"""The warm pool end to end, in a sandbox of its own with a pool of one m5.large in the seed's domain:
the cleanup fills it, create-host claims the waiting host (the user's host is the pool host's
instance, and the context works), the pool is refilled, and with the pool empty create-host
launches a fresh host; two create-hosts at once on a pool of one: one claims it, the other launches
at once (its Claim finds no ticket) instead of waiting for the claim's timeout."""
import json
import os
import threading
import urllib.request

import pytest

from conftest import running_sandbox
from sandboxctl import runtime_dir_of, wait_for

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
    # dockerd started before the claim: the user's containers see the home at its path all the same,
    # and stdin piped through the TLS front ends as it does on dockerd's own listener (a half close).
    home = host["certDirectory"].split("/.sdocker/hosts/")[0]
    with open(os.path.join(home, "from-studio.txt"), "w") as f:
        f.write("written in Studio\n")
    seen = pooled.docker("alice", "run", "--rm", "-v", "%s:%s" % (home, home), "busybox:latest",
                         "cat", home + "/from-studio.txt")
    assert seen.returncode == 0 and seen.stdout == b"written in Studio\n", seen.stderr
    piped = pooled.docker("alice", "run", "-i", "--rm", "busybox:latest", "sh", "-c", "cat; echo after-eof",
                          stdin=b"through the front\n")
    assert piped.returncode == 0 and piped.stdout == b"through the front\nafter-eof\n", (piped.stdout, piped.stderr)

    wait_for(lambda: len(pool_hosts(pooled)) == 1 and pool_hosts(pooled) != launched, 60, "the pool to be refilled")

    # With the pool emptied, the next create-host launches a fresh host.
    pooled.aws("ec2").terminate_instances(InstanceIds=pool_hosts(pooled))
    wait_for(lambda: pool_hosts(pooled) == [], 60, "the pool to be empty")
    fresh = pooled.sdocker("bob", "create-host", "--instance-type", "m5.large")
    assert fresh.returncode == 0, fresh.stderr
    bob_host = status(pooled, "bob", pooled.docker("bob", "context", "show").stdout.decode().strip())
    assert bob_host["instanceId"] not in launched
    assert bob_host["state"] == "READY"


def waiting(sandbox, instance_id):
    runtime = sandbox.runtime_dir or runtime_dir_of(sandbox.process.pid) or ""
    log = os.path.join(runtime, instance_id, "var", "lib", "studiocp", "bootstrap.log")
    try:
        with open(log) as f:
            return "pool host: waiting for a claim" in f.read()
    except OSError:
        return False


def claim_failures(sandbox, host_id):
    arn = sandbox.ready["stateMachineArn"].replace(":stateMachine:", ":execution:") + ":" + host_id
    events = sandbox.aws("stepfunctions").get_execution_history(executionArn=arn, maxResults=1000)["events"]
    return [(e.get("taskFailedEventDetails") or e.get("lambdaFunctionFailedEventDetails") or {}).get("cause", "")
            for e in events if e["type"] in ("TaskFailed", "LambdaFunctionFailed", "TaskTimedOut")] + \
        [e["type"] for e in events if e["type"] == "TaskTimedOut"]


def test_two_create_hosts_at_once_on_a_pool_of_one_one_claims_and_the_other_launches_at_once(pooled):
    cleanup(pooled)
    wait_for(lambda: len(pool_hosts(pooled)) == 1 and all(waiting(pooled, h) for h in pool_hosts(pooled)), 120,
             "one pool host waiting")
    pool_host = pool_hosts(pooled)[0]
    results = {}

    def create(user):
        results[user] = pooled.sdocker(user, "--json", "create-host", "--instance-type", "m5.large", timeout=300)

    threads = [threading.Thread(target=create, args=(user,)) for user in ("carol-smith", "dave")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    hosts = {}
    for user, result in results.items():
        assert result.returncode == 0, result.stderr
        hosts[user] = json.loads(result.stdout)
        assert status(pooled, user, hosts[user]["hostId"])["state"] == "READY"
        version = pooled.docker(user, "--context", hosts[user]["context"], "version", "--format", "{{.Server.Version}}")
        assert version.returncode == 0, version.stderr
    claimed = [u for u, h in hosts.items() if h["instanceId"] == pool_host]
    assert len(claimed) == 1, "exactly one request has the pool host: %s" % hosts
    launched = [u for u in hosts if u not in claimed][0]
    failures = claim_failures(pooled, hosts[launched]["hostId"])
    assert any("no free pool host of m5.large" in f for f in failures), failures
    assert "TaskTimedOut" not in failures, "the other request never waited for the claim's timeout"
    assert claim_failures(pooled, hosts[claimed[0]]["hostId"]) == [], "the claimed one went straight through"

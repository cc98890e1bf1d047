"""A host's life after create-host, end to end in a sandbox of its own (its clock moves forward):
stop and start keep the context, the certificates and the images; extend moves the expiry within
the limits; the cleanup warns, stops expired and idle hosts (never a busy one), removes orphans,
and a dry run changes nothing."""
import hashlib
import json
import os
import urllib.request

import pytest

from conftest import running_sandbox
from sandboxctl import REPO, wait_for


@pytest.fixture(scope="module")
def lifecycle(tmp_path_factory):
    yield from running_sandbox(tmp_path_factory.mktemp("lifecycle"), "--cleanup-every", "0")


def admin(sandbox, path, body=None):
    root = sandbox.ready["api"].rsplit("/", 1)[0]
    request = urllib.request.Request(root + path, data=body, method="POST" if body is not None else "GET")
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def cleanup(sandbox, dry_run=False):
    return admin(sandbox, "/_sandbox/cleanup", b'{"dryRun": true}' if dry_run else b"{}")


def advance(sandbox, minutes):
    return admin(sandbox, "/_sandbox/clock", json.dumps({"advanceMinutes": minutes}).encode())


def host_json(sandbox, user, host_id):
    result = sandbox.sdocker(user, "--json", "host-status", host_id)
    return json.loads(result.stdout)


def advance_while_busy(sandbox, minutes, instance_id):
    """Moves the clock; a busy host reports its use at the new time within a few of its 2 s looks (a jump
    of hours in one step would otherwise find it silent since the last report, and so idle)."""
    now = advance(sandbox, minutes)["now"]
    wait_for(lambda: tags(sandbox, instance_id).get("studiocp:last-active", "") >= now[:19], 60,
             "the busy host to report its use at " + now)
    return now


def tags(sandbox, instance_id):
    reservations = sandbox.aws("ec2").describe_instances(InstanceIds=[instance_id])["Reservations"]
    return {t["Key"]: t["Value"] for t in reservations[0]["Instances"][0].get("Tags", [])}


@pytest.fixture(scope="module")
def alice_host(lifecycle, busybox_image):
    result = lifecycle.sdocker("alice", "create-host", "--instance-type", "m5.large")
    assert result.returncode == 0, result.stderr
    host_id = lifecycle.docker("alice", "context", "show").stdout.decode().strip()
    imported = lifecycle.docker("alice", "import", "-", "local/busybox:e2e", stdin=busybox_image)
    assert imported.returncode == 0, imported.stderr
    return host_id


def test_stop_then_start_keeps_the_context_the_certificates_and_the_images(lifecycle, alice_host):
    before = host_json(lifecycle, "alice", alice_host)
    cert = hashlib.sha256(open(os.path.join(before["certDirectory"], "cert.pem"), "rb").read()).hexdigest()

    stopped = lifecycle.sdocker("alice", "stop-host")
    assert stopped.returncode == 0, stopped.stderr
    assert "STOPPED" in stopped.stdout
    host = host_json(lifecycle, "alice", alice_host)
    assert host["state"] == "STOPPED"
    assert "stopped by" in host["stopReason"]
    again = lifecycle.sdocker("alice", "stop-host", alice_host)
    assert again.returncode == 0, "stopping a stopped host is fine: " + again.stderr
    wait_for(lambda: lifecycle.docker("alice", "info", timeout=20).returncode != 0, 60, "dockerd to stop")

    started = lifecycle.sdocker("alice", "start-host", alice_host, timeout=180)
    assert started.returncode == 0, started.stderr
    after = host_json(lifecycle, "alice", alice_host)
    assert after["state"] == "READY"
    assert after["dockerEndpoint"] == before["dockerEndpoint"], "the private DNS name survives stop and start"
    assert after["readyAt"] > before["readyAt"]
    assert lifecycle.docker("alice", "context", "show").stdout.decode().strip() == alice_host
    run = lifecycle.docker("alice", "run", "--rm", "local/busybox:e2e", "echo", "back")
    assert run.returncode == 0 and run.stdout.strip() == b"back", run.stderr
    assert cert == hashlib.sha256(open(os.path.join(after["certDirectory"], "cert.pem"), "rb").read()).hexdigest()
    log = open(os.path.join(after["certDirectory"], "bootstrap.log")).read()
    assert log.count("reported ready:") == 2, "the start reported ready to its own execution"
    assert "started again" in log


def test_lifecycle_refusals_are_clear_4xx(lifecycle, alice_host):
    too_long = lifecycle.sdocker("alice", "extend-host", alice_host, "--ttl-hours", "100000")
    assert too_long.returncode != 0 and "ttlHours" in too_long.stderr and "Traceback" not in too_long.stderr
    other = lifecycle.sdocker("bob", "stop-host", alice_host)
    assert other.returncode != 0 and "no host" in other.stderr
    start_ready = lifecycle.sdocker("alice", "--json", "start-host", alice_host, "--no-wait")
    assert start_ready.returncode == 0 and json.loads(start_ready.stdout)["state"] == "READY", "already ready"
    bogus = lifecycle.sdocker("alice", "stop-host", "h-nothex")
    assert bogus.returncode != 0 and "hostId" in bogus.stderr


def test_extend_moves_the_expiry(lifecycle, alice_host):
    before = host_json(lifecycle, "alice", alice_host)["expiresAt"]
    result = lifecycle.sdocker("alice", "extend-host", alice_host, "--ttl-hours", "20")
    assert result.returncode == 0, result.stderr
    after = host_json(lifecycle, "alice", alice_host)["expiresAt"]
    assert after > before


def test_the_cleanup_stops_an_idle_host_and_not_a_busy_one(lifecycle, alice_host):
    bob = lifecycle.sdocker("bob", "create-host", "--instance-type", "m5.large")
    assert bob.returncode == 0, bob.stderr
    bob_host = lifecycle.docker("bob", "context", "show").stdout.decode().strip()
    busy = lifecycle.docker("alice", "run", "-d", "--name", "busy", "local/busybox:e2e", "sleep", "3600")
    assert busy.returncode == 0, busy.stderr
    alice_instance = host_json(lifecycle, "alice", alice_host)["instanceId"]
    bob_instance = host_json(lifecycle, "bob", bob_host)["instanceId"]

    # The busy host says so itself, on its own instance's tag.
    advance_while_busy(lifecycle, 180, alice_instance)
    assert "running container" in tags(lifecycle, alice_instance)["studiocp:last-active"]

    plan = cleanup(lifecycle, dry_run=True)
    assert plan["dryRun"] is True
    idle = [a for a in plan["actions"] if a["kind"] == "STOP_IDLE"]
    assert [a["hostId"] for a in idle] == [bob_host], plan["actions"]
    assert host_json(lifecycle, "bob", bob_host)["state"] == "READY", "a dry run changes nothing"

    report = cleanup(lifecycle)
    assert [a["hostId"] for a in report["actions"] if a["kind"] == "STOP_IDLE"] == [bob_host]
    bob_after = host_json(lifecycle, "bob", bob_host)
    assert bob_after["state"] == "STOPPED"
    assert "idle" in bob_after["stopReason"]
    assert tags(lifecycle, bob_instance)["studiocp:state"] == "STOPPED"
    assert host_json(lifecycle, "alice", alice_host)["state"] == "READY"
    mail = admin(lifecycle, "/_sandbox/mail")
    to_bob = [m for m in mail if any("bob" in t for t in m["to"]) and bob_host in m["text"]]
    assert to_bob and "no activity since" in to_bob[-1]["text"], "bob is told why"
    admins = json.load(open(os.path.join(REPO, "local", "seed.json")))["police"]["adminEmails"]
    digests = [m for m in mail if m["subject"].startswith("Studio Control Plane cleanup")]
    assert digests and bob_host in digests[-1]["text"], "the admins' digest names the stopped host"
    assert admins and sorted(digests[-1]["to"]) == sorted(admins), digests[-1]["to"]


def test_the_cleanup_warns_once_then_stops_an_expired_host(lifecycle, alice_host):
    host = host_json(lifecycle, "alice", alice_host)
    now = admin(lifecycle, "/_sandbox/clock")["now"]
    minutes = int((parse(host["expiresAt"]) - parse(now)) / 60) - 30
    advance_while_busy(lifecycle, minutes, host["instanceId"])
    first = cleanup(lifecycle)
    assert [a["hostId"] for a in first["actions"] if a["kind"] == "WARN_EXPIRY"] == [alice_host], first["actions"]
    warned = [m for m in admin(lifecycle, "/_sandbox/mail") if "expires soon" in m["subject"].lower()]
    assert warned and "extend-host" in warned[-1]["text"]
    second = cleanup(lifecycle)
    assert not [a for a in second["actions"] if a["kind"] == "WARN_EXPIRY"], "one warning"
    assert host_json(lifecycle, "alice", alice_host)["state"] == "READY", "busy, so not idle"
    advance_while_busy(lifecycle, 45, host["instanceId"])
    third = cleanup(lifecycle)
    assert [a["hostId"] for a in third["actions"] if a["kind"] == "STOP_EXPIRED"] == [alice_host], third["actions"]
    host = host_json(lifecycle, "alice", alice_host)
    assert host["state"] == "STOPPED" and "time to live" in host["stopReason"], host
    refused = lifecycle.sdocker("alice", "start-host", alice_host, "--no-wait")
    assert refused.returncode != 0 and "extend" in refused.stderr, refused.stderr


def test_the_cleanup_removes_an_orphaned_instance_and_an_unused_group(lifecycle):
    ec2 = lifecycle.aws("ec2")
    subnet = ec2.describe_subnets()["Subnets"][0]
    orphan_id = "h-00000000000000aa"
    group = ec2.create_security_group(GroupName="studiocp-orphan", Description="left behind", VpcId=subnet["VpcId"],
                                      TagSpecifications=[{"ResourceType": "security-group", "Tags": [
                                          {"Key": "studiocp:managed", "Value": "true"},
                                          {"Key": "studiocp:role", "Value": "host-extra-ports"},
                                          {"Key": "studiocp:host-id", "Value": orphan_id}]}])["GroupId"]
    image = ec2.describe_images()["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="m5.large",
                                 SubnetId=subnet["SubnetId"], TagSpecifications=[{"ResourceType": "instance", "Tags": [
                                     {"Key": "studiocp:managed", "Value": "true"},
                                     {"Key": "studiocp:host-id", "Value": orphan_id},
                                     {"Key": "studiocp:owner", "Value": "d-sandbox0001/carol-smith"},
                                     {"Key": "studiocp:state", "Value": "PROVISIONING"}]}])["Instances"][0]["InstanceId"]
    advance(lifecycle, 60)
    plan = cleanup(lifecycle, dry_run=True)
    kinds = {(a["kind"], a.get("hostId")) for a in plan["actions"]}
    assert ("TERMINATE_ORPHAN", orphan_id) in kinds and ("DELETE_SECURITY_GROUP", orphan_id) in kinds, kinds
    assert ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"], "a dry run deletes nothing"
    cleanup(lifecycle)
    state = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["State"]["Name"]
    assert state in ("shutting-down", "terminated")
    assert group not in [g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]]


def parse(iso):
    from datetime import datetime
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()

"""SSH over SSM end to end, as seeded users: the built sdocker registers alice's running space with an
activation from the sandbox's signed API, her laptop writes its ~/.ssh/config entry and puts its key
on the target, nobody else can list, key or remove it, and the cleanup deregisters it once the space
stops. A sandbox of its own without Docker hosts.

The boundary: there is no SSM agent, sshd session or Session Manager here. The agent's registration
is played by a stand-in program that makes the agent's own call (`RegisterManagedInstance`, unsigned,
as the agent makes it) to the sandbox's SSM stand-in and writes the agent's registration file; sshd
and the agent's run are stand-ins that only record that they were started. No SSH session is opened."""
import json
import os
import stat
import subprocess
import urllib.request

import pytest

from conftest import running_sandbox

DOMAIN = "d-sandbox0001"
SPACE = "alice-notebooks"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    yield from running_sandbox(tmp_path_factory.mktemp("ssh-sandbox"), "--no-hosts")


@pytest.fixture(scope="module")
def ssm(sandbox):
    import boto3
    return boto3.client("ssm", region_name=sandbox.ready["region"], endpoint_url=sandbox.ready["ssm"],
                        aws_access_key_id="sandbox", aws_secret_access_key="sandbox")


@pytest.fixture(scope="module")
def programs(sandbox, tmp_path_factory):
    """Stand-ins for amazon-ssm-agent (its registration call is the real one, to the SSM stand-in) and sshd."""
    bin_dir = tmp_path_factory.mktemp("ssh-bin")
    log = bin_dir / "calls.log"
    agent = bin_dir / "amazon-ssm-agent"
    agent.write_text("""#!/usr/bin/env python3
import base64, json, os, subprocess, sys, urllib.error, urllib.request
args = sys.argv[1:]
open(%r, "a").write("amazon-ssm-agent " + " ".join(args) + "\\n")
if args and args[0] == "-register":
    opts = dict(zip(args[1::2], args[2::2])) if args[1] != "-y" else dict(zip(args[2::2], args[3::2]))
    # As the agent: a new RSA key pair, its public half (base64 DER) sent with the activation's code.
    private = subprocess.run(["openssl", "genrsa", "2048"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             check=True).stdout
    der = subprocess.run(["openssl", "rsa", "-pubout", "-outform", "DER"], input=private, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, check=True).stdout
    body = json.dumps({"ActivationCode": opts["-code"], "ActivationId": opts["-id"], "Fingerprint": "e2e-fingerprint",
                       "PublicKey": base64.b64encode(der).decode(), "PublicKeyType": "Rsa"}).encode()
    request = urllib.request.Request(%r, data=body, headers={"Content-Type": "application/x-amz-json-1.1",
                                     "X-Amz-Target": "AmazonSSM.RegisterManagedInstance"})
    try:
        node = json.load(urllib.request.urlopen(request))["InstanceId"]
    except urllib.error.HTTPError as e:
        print("Registration failed: " + e.read().decode()); sys.exit(1)
    with open(os.environ["SDOCKER_SSM_REGISTRATION"], "w") as f:
        json.dump({"ManagedInstanceID": node, "Region": opts["-region"]}, f)
    print("Successfully registered the instance with AWS SSM using Managed instance-id: " + node)
""" % (str(log), sandbox.ready["ssm"]))
    sshd = bin_dir / "sshd"
    sshd.write_text("#!/bin/sh\necho \"sshd $*\" >> %s\n" % log)
    for program in (agent, sshd):
        program.chmod(program.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return bin_dir


def run(sandbox, user, *args, programs=None, timeout=120):
    env = sandbox.env(user)
    if programs is not None:
        env["PATH"] = "%s:%s" % (programs, env["PATH"])
        env["SDOCKER_SSM_REGISTRATION"] = str(programs / ("registration-" + user))
    return subprocess.run(["sdocker"] + list(args), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout)


def targets(sandbox, user, *extra):
    result = run(sandbox, user, "ssh", "list", "--json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["targets"]


def sandbox_post(sandbox, path, body):
    base = sandbox.ready["api"].rsplit("/", 1)[0]
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST")
    return json.load(urllib.request.urlopen(request, timeout=120))


def ssm_state(ssm):
    nodes = sorted(i["InstanceId"] for i in ssm.describe_instance_information()["InstanceInformationList"])
    activations = sorted(a["ActivationId"] for a in ssm.describe_activations()["ActivationList"])
    return nodes, activations


def test_bad_inputs_are_each_a_4xx_that_changes_nothing(sandbox, ssm, programs):
    before = ssm_state(ssm)
    refused = [
        ("alice", ("ssh", "register", "--once", "--space", "Bad_Name"), "not a space name", "400"),
        ("bob", ("ssh", "register", "--once", "--space", SPACE), "no space %s of yours" % SPACE, "404"),
        ("alice", ("ssh", "register", "--once", "--app", "no-such-app"), "no running app no-such-app", "404"),
        ("alice", ("ssh", "remove", "mi-0123456789abcdef0"), "no SSH target mi-0123456789abcdef0 of yours", "404"),
        ("alice", ("ssh", "h-0000000000000000"), "no host h-0000000000000000 of yours", "404"),
        ("bob", ("ssh", "list", "--all"), "only admins", "403"),
    ]
    for user, args, says, status in refused:
        result = run(sandbox, user, *args, programs=programs)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and says in lines[0] and status in lines[0], (args, result.stderr)
    assert ssm_state(ssm) == before, "no activation, registration or deregistration"


def test_alice_registers_her_space_keys_it_from_her_laptop_and_the_cleanup_removes_it(sandbox, ssm, programs,
                                                                                      tmp_path):
    registered = run(sandbox, "alice", "ssh", "register", "--space", SPACE, "--once", programs=programs)
    assert registered.returncode == 0, registered.stderr
    node = registered.stdout.strip()
    assert node.startswith("mi-") and len(node) == 20, registered.stdout
    calls = (programs / "calls.log").read_text()
    assert "amazon-ssm-agent -register -y -code " in calls and "-region " + sandbox.ready["region"] in calls
    tags = {t["Key"]: t["Value"] for t in ssm.list_tags_for_resource(ResourceType="ManagedInstance",
                                                                      ResourceId=node)["TagList"]}
    assert tags["studiocp:owner"] == DOMAIN + "/alice" and tags["studiocp:ssh-target"] == "space/" + SPACE, tags
    activation = [a for a in ssm.describe_activations()["ActivationList"] if a["RegistrationsCount"] == 1]
    assert len(activation) == 1 and activation[0]["RegistrationLimit"] == 1, activation

    assert [t["id"] for t in targets(sandbox, "alice")] == [node]
    assert targets(sandbox, "bob") == [], "bob sees nothing of alice's"
    bobs = run(sandbox, "bob", "ssh", "remove", node)
    assert bobs.returncode == 1 and "no SSH target %s of yours" % node in bobs.stderr, bobs.stderr

    # From alice's laptop: her key onto the target and an ~/.ssh/config entry through Session Manager.
    home = sandbox.home("alice-laptop")
    key = os.path.join(home, ".ssh", "id_ed25519")
    os.makedirs(os.path.dirname(key), exist_ok=True)
    if not os.path.exists(key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice@laptop", "-f", key], check=True)
    configured = run(sandbox, "alice-laptop", "ssh", "config", node)
    assert configured.returncode == 0, configured.stderr
    alias = configured.stdout.strip()
    assert alias == "sdocker-" + SPACE
    written = open(os.path.join(home, ".ssh", "config")).read()
    assert "Host %s\n  HostName %s\n" % (alias, node) in written
    assert ("ProxyCommand aws ssm start-session --target %h --document-name AWS-StartSSHSession "
            "--parameters portNumber=%p") in written
    public = open(key + ".pub").read().split()
    assert [t.get("publicKey") for t in targets(sandbox, "alice")] == [" ".join(public[:2])]
    stranger = run(sandbox, "stranger-laptop", "ssh", "config", node, "--identity-file", key)
    assert stranger.returncode != 0 and "studiocp:principals" in stranger.stderr, stranger.stderr

    # The admin report lists it with its advanced-tier cost.
    report = sandbox_post(sandbox, "/_sandbox/admin", {"action": "report"})
    ssh_section = report["report"]["ssh"]
    assert node in [t["id"] for t in ssh_section["targets"]], ssh_section
    assert ssh_section["advancedTierHourlyUsd"] == 0.00695

    # The space stops: the next cleanup deregisters its node; nothing alice registered outlives it.
    import boto3
    sagemaker = boto3.client("sagemaker", region_name=sandbox.ready["region"], endpoint_url=sandbox.ready["studio"],
                             aws_access_key_id="sandbox", aws_secret_access_key="sandbox")
    sagemaker.delete_app(DomainId=DOMAIN, SpaceName=SPACE, AppType="JupyterLab", AppName="default")
    plan = sandbox_post(sandbox, "/_sandbox/cleanup", {"dryRun": True})
    assert [a["resourceId"] for a in plan["actions"] if a["kind"] == "DEREGISTER_SSH_NODE"] == [node], plan
    assert [t["id"] for t in targets(sandbox, "alice")] == [node], "a dry run deregisters nothing"
    done = sandbox_post(sandbox, "/_sandbox/cleanup", {})
    assert done["failures"] == [], done
    assert targets(sandbox, "alice") == []
    assert node not in ssm_state(ssm)[0]


def test_a_space_with_sagemakers_remote_access_is_reached_the_native_way(sandbox, ssm, tmp_path):
    """alice's laptop writes a native entry for her space with remote access on; its ProxyCommand gets a
    session from the API (StartSession in the Studio stand-in) and hands it to session-manager-plugin, here
    a stand-in that records its arguments: no stream is opened (the boundary). bob's laptop-less attempt
    and a space without remote access are one line each, and start no session."""
    import boto3
    import shlex
    import time
    sagemaker = boto3.client("sagemaker", region_name=sandbox.ready["region"], endpoint_url=sandbox.ready["studio"],
                             aws_access_key_id="sandbox", aws_secret_access_key="sandbox")
    sagemaker.create_space(DomainId=DOMAIN, SpaceName="alice-remote",
                           OwnershipSettings={"OwnerUserProfileName": "alice"},
                           SpaceSharingSettings={"SharingType": "Private"},
                           SpaceSettings={"AppType": "CodeEditor", "RemoteAccess": "ENABLED"})
    for _ in range(60):
        if sagemaker.describe_space(DomainId=DOMAIN, SpaceName="alice-remote")["Status"] == "InService":
            break
        time.sleep(0.5)
    sagemaker.create_app(DomainId=DOMAIN, SpaceName="alice-remote", AppType="CodeEditor", AppName="default",
                         ResourceSpec={"InstanceType": "ml.t3.medium"})
    for _ in range(60):
        if sagemaker.describe_app(DomainId=DOMAIN, SpaceName="alice-remote", AppType="CodeEditor",
                                  AppName="default")["Status"] == "InService":
            break
        time.sleep(0.5)
    before = ssm_state(ssm)

    home = sandbox.home("alice-laptop")
    key = os.path.join(home, ".ssh", "id_ed25519")
    os.makedirs(os.path.dirname(key), exist_ok=True)
    if not os.path.exists(key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice@laptop", "-f", key], check=True)
    configured = run(sandbox, "alice-laptop", "ssh", "config", "--space", "alice-remote")
    assert configured.returncode == 0, configured.stderr
    assert configured.stdout.strip() == "sdocker-alice-remote"
    assert "path: native" in configured.stderr, configured.stderr
    written = open(os.path.join(home, ".ssh", "config")).read()
    arn = sagemaker.describe_space(DomainId=DOMAIN, SpaceName="alice-remote")["SpaceArn"]
    assert "Host sdocker-alice-remote\n  HostName %s\n" % arn in written, written
    proxy = [line for line in written.splitlines() if line.startswith("  ProxyCommand ")
             and "alice-remote" in line][0][len("  ProxyCommand "):]

    plugin_dir = tmp_path / "plugin"
    plugin_dir.mkdir()
    record = plugin_dir / "args.json"
    plugin = plugin_dir / "session-manager-plugin"
    plugin.write_text("#!/usr/bin/env python3\nimport json, sys\njson.dump(sys.argv[1:], open(%r, 'w'))\n" % str(record))
    plugin.chmod(0o755)
    env = sandbox.env("alice-laptop")
    env["PATH"] = "%s:%s" % (plugin_dir, env["PATH"])
    session = subprocess.run(shlex.split(proxy), env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
    assert session.returncode == 0, session.stderr
    assert session.stdout == "", "the ProxyCommand's stdout is ssh's stream"
    args = json.loads(record.read_text())
    assert args[1:] == [sandbox.ready["region"], "StartSession"], args
    answer = json.loads(args[0])
    assert sorted(answer) == ["SessionId", "StreamUrl", "TokenValue"], answer
    assert answer["StreamUrl"].startswith("wss://ssmmessages."), answer

    bobs = run(sandbox, "bob", "ssh", "config", "--space", "alice-remote")
    assert bobs.returncode == 1 and "no space alice-remote of yours" in bobs.stderr, bobs.stderr
    off = run(sandbox, "alice", "ssh", "proxy", "--space", SPACE, "--plugin", str(plugin))
    lines = off.stderr.strip().splitlines()
    assert off.returncode == 1 and len(lines) == 1 and "RemoteAccessDisabled" in lines[0], off.stderr
    assert "RemoteAccess=ENABLED" in lines[0] and "sdocker ssh register" in lines[0]
    assert json.loads(record.read_text()) == args, "no second plugin run"
    assert ssm_state(ssm) == before, "the native path needs no activation or registration"

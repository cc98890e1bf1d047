"""`sdocker ssh ...` against the API played by a local server, with stand-ins for the programs it
starts: what each command asks of the API, which command lines it runs, the files it writes.

The real amazon-ssm-agent, sshd behind Session Manager and `aws ssm start-session` cannot run here
(no SSM service, no session): the stand-ins below record how they are called and play the agent's
registration file, nothing more. What a real session does is not tested here (README: "What could
and could not be verified")."""
import json
import os
import stat

import pytest

from studiocp_client.commands import ssh

NODE = "mi-0a1b2c3d4e5f60718"
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBXrE9VbiKwV7Z8bpA+S+UEY2M/SXbxVtGoKZuzatsen"
ACTIVATION = {"activationId": "4a1f5e2c-0000-4000-8000-000000000001", "activationCode": "Code1234567890abcdef",
              "region": "us-east-1", "expiresAt": "2025-02-01T10:30:00Z", "target": {"space": "alice-project"},
              "owner": "d-sandbox0001/alice", "registrationLimit": 1}


def fake_program(directory, name, body):
    path = directory / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def programs(home, monkeypatch):
    """amazon-ssm-agent, sshd and aws stand-ins on the PATH; each appends its arguments to calls.log."""
    bin_dir = home / "bin"
    bin_dir.mkdir()
    calls = home / "calls.log"
    registration = home / "registration"
    fake_program(bin_dir, "amazon-ssm-agent", """echo "amazon-ssm-agent $*" >> %s
case "$1" in -register) echo '{"ManagedInstanceID":"%s","Region":"us-east-1"}' > %s; echo "Successfully registered";;
esac
""" % (calls, NODE, registration))
    fake_program(bin_dir, "sshd", 'echo "sshd $*" >> %s\n' % calls)
    fake_program(bin_dir, "aws", 'echo "aws $*" >> %s\n' % calls)
    monkeypatch.setenv("PATH", "%s:%s" % (bin_dir, os.environ["PATH"]))
    monkeypatch.setenv("SDOCKER_SSM_REGISTRATION", str(registration))
    monkeypatch.setattr(ssh.os, "geteuid", lambda: 0)
    return calls


def called(calls):
    return calls.read_text().splitlines() if calls.exists() else []


@pytest.fixture
def space_metadata(home):
    """The new Studio's metadata in a space's app."""
    path = home / "space-metadata.json"
    path.write_text(json.dumps({"DomainId": "d-sandbox0001", "UserProfileName": "alice", "SpaceName": "alice-project",
                                "AppType": "JupyterLab", "AppName": "default"}))
    return path


@pytest.fixture
def run(sdocker, api, space_metadata):
    def with_api(*args):
        return sdocker("--endpoint", api.endpoint, "--region", "us-east-1", "--metadata", str(space_metadata), *args)
    return with_api


def wait_for(calls, line):
    import time
    for _ in range(100):
        if line in "\n".join(called(calls)) + "\n":
            return
        time.sleep(0.05)


def test_register_activates_this_space_registers_the_agent_and_starts_it_and_sshd(run, api, programs, home):
    api.answer(201, ACTIVATION)
    api.answer(200, {"targets": [{"id": NODE, "publicKey": KEY}, {"id": "mi-00000000000000001", "publicKey": "x y"}]})

    code, out, err = run("ssh", "register", "--once")

    assert code == 0, err
    assert out == NODE + "\n"
    assert "sdocker ssh config " + NODE in err
    post, targets = api.requests
    assert (post.method, post.path) == ("POST", "/v1/ssh/activations")
    assert post.json() == {"target": {"space": "alice-project"}}
    assert post.headers.get("Idempotency-Key")
    assert (targets.method, targets.path) == ("GET", "/v1/ssh/targets")
    wait_for(programs, "sshd")
    wait_for(programs, "amazon-ssm-agent \n")
    lines = called(programs)
    assert lines[0] == ("amazon-ssm-agent -register -y -code Code1234567890abcdef -id "
                        "4a1f5e2c-0000-4000-8000-000000000001 -region us-east-1")
    assert "amazon-ssm-agent" in [line.strip() for line in lines[1:]], "then the agent runs: %s" % lines
    base = home / ".sdocker" / "ssh"
    assert "sshd -D -e -f %s" % (base / "sshd_config") in lines
    config = (base / "sshd_config").read_text()
    for expected in ("ListenAddress 127.0.0.1", "Port 2222", "PasswordAuthentication no", "AllowAgentForwarding yes",
                     "AuthorizedKeysFile %s" % (base / "authorized_keys")):
        assert expected in config
    assert (base / "ssh_host_ed25519_key").exists()
    assert (base / "authorized_keys").read_text() == KEY + " sdocker-ssh-config\n", "only this node's key"
    assert stat.S_IMODE((base / "authorized_keys").stat().st_mode) == 0o600


def test_register_says_when_the_space_has_sagemakers_own_remote_access(run, api, programs):
    api.answer(201, dict(ACTIVATION, spaceRemoteAccess=True))
    api.answer(200, {"targets": []})

    code, out, err = run("ssh", "register", "--once")

    assert code == 0, err
    assert "space alice-project has SageMaker's own remote access on" in err
    assert "sdocker ssh config --space alice-project" in err
    assert out == NODE + "\n", "and registers all the same"


def test_register_takes_an_app_of_the_profile_by_name(run, api, programs):
    api.answer(201, dict(ACTIVATION, target={"app": "gpu-kernel"}))
    api.answer(200, {"targets": []})

    code, out, err = run("ssh", "register", "--app", "gpu-kernel", "--once")

    assert code == 0, err
    assert api.requests[0].json() == {"target": {"app": "gpu-kernel"}}


def test_register_without_an_agent_says_how_to_install_it_and_asks_the_api_nothing(run, api, programs, home):
    (home / "bin" / "amazon-ssm-agent").unlink()
    code, out, err = run("ssh", "register", "--once", "--agent", str(home / "bin" / "missing"))

    assert code == 2
    assert "amazon-ssm-agent is not installed here" in err and "hybrid-multicloud-ssm-agent-install" in err
    assert api.requests == [], "no activation is made for an app that cannot use it"


def test_a_failed_registration_is_one_line_with_the_agents_reason(run, api, programs, home):
    fake_program(home / "bin", "amazon-ssm-agent", 'echo "Registration failed due to error registering the instance '
                 'with AWS SSM. InvalidActivation"; exit 1\n')
    api.answer(201, ACTIVATION)

    code, out, err = run("ssh", "register", "--once")

    assert code == 1
    assert err.strip().splitlines()[-1].endswith("InvalidActivation")


def test_key_sync_keeps_the_users_own_lines_and_replaces_its_own(home, api):
    from studiocp_client.api import Api
    keys = home / "authorized_keys"
    keys.write_text("ssh-ed25519 AAAAmine me@desk\nssh-ed25519 AAAAold sdocker-ssh-config\n")
    api.answer(200, {"targets": [{"id": NODE, "publicKey": KEY}]})

    ssh.sync_keys(Api(api.endpoint, "us-east-1", ("d-sandbox0001", "alice")), NODE, str(keys))

    assert keys.read_text() == "ssh-ed25519 AAAAmine me@desk\n%s sdocker-ssh-config\n" % KEY


def test_config_puts_the_public_key_on_the_target_and_writes_one_entry(run, api, home):
    ssh_dir = home / ".ssh"
    ssh_dir.mkdir()
    (ssh_dir / "id_ed25519.pub").write_text(KEY + " alice@laptop\n")
    (ssh_dir / "config").write_text("Host github.com\n  User git\n")
    answer = {"id": NODE, "target": {"space": "alice-project"}, "publicKey": KEY, "pingStatus": "Online"}
    api.answer(200, answer).answer(200, answer)

    code, out, err = run("ssh", "config", NODE, "--forward-agent")
    assert code == 0, err
    assert run("ssh", "config", NODE, "--forward-agent")[0] == 0

    assert out == "sdocker-alice-project\n"
    request = api.requests[0]
    assert (request.method, request.path) == ("POST", "/v1/ssh/targets/%s/key" % NODE)
    assert request.json() == {"publicKey": KEY + " alice@laptop"}
    written = (ssh_dir / "config").read_text()
    assert written.startswith("Host github.com\n  User git\n"), "the user's own entries stay"
    assert written.count("Host sdocker-alice-project") == 1, "written twice, one entry: " + written
    assert ("  ProxyCommand aws ssm start-session --target %h --document-name AWS-StartSSHSession "
            "--parameters portNumber=%p --region us-east-1\n") in written
    for line in ("  HostName " + NODE, "  User sagemaker-user", "  Port 2222", "  ForwardAgent yes",
                 "  IdentityFile ~/.ssh/id_ed25519"):
        assert line + "\n" in written
    assert stat.S_IMODE((ssh_dir / "config").stat().st_mode) == 0o600


def test_config_without_a_public_key_or_with_a_bad_id_asks_nothing(run, api):
    code, out, err = run("ssh", "config", NODE)
    assert code == 2
    assert "ssh-keygen -t ed25519" in err
    code, out, err = run("ssh", "config", "i-0123456789abcdef0")
    assert code == 2
    assert "not a target id" in err
    assert api.requests == []


def test_list_and_remove(run, api):
    api.answer(200, {"targets": [{"id": NODE, "target": {"space": "alice-project"}, "pingStatus": "ConnectionLost",
                                  "registeredAt": "2025-02-01T10:00:00Z", "publicKey": KEY}]})
    api.answer(200, {"id": NODE, "deregistered": True})

    code, out, err = run("ssh", "list")
    assert code == 0, err
    assert NODE in out and "space alice-project" in out and "ConnectionLost" in out and "2025-02-01 10:00:00 UTC" in out

    code, out, err = run("ssh", "remove", NODE)
    assert code == 0, err
    request = api.requests[1]
    assert (request.method, request.path) == ("DELETE", "/v1/ssh/targets/" + NODE)
    assert request.headers.get("Idempotency-Key")
    assert "deregistered " + NODE in err


def test_ssh_hostid_opens_a_session_to_the_hosts_instance(run, api, programs):
    api.answer(200, {"target": {"hostId": "h-0123456789abcdef"}, "instanceId": "i-0abc", "region": "us-east-1"})

    code, out, err = run("ssh", "h-0123456789abcdef")

    assert code == 0, err
    assert api.requests[0].json() == {"target": {"hostId": "h-0123456789abcdef"}}
    assert called(programs) == ["aws ssm start-session --target i-0abc --region us-east-1"]


def test_a_refused_host_is_one_line_and_no_session(run, api, programs):
    api.answer(404, {"error": "NotFound", "message": "no host h-0123456789abcdef of yours"})

    code, out, err = run("ssh", "host", "h-0123456789abcdef")

    assert code == 1
    assert "no host h-0123456789abcdef of yours" in err
    assert called(programs) == []


# ---- a space: SageMaker's own remote access, or its SSM registration ------------------------------

SPACE_ARN = "arn:aws:sagemaker:us-east-1:123456789012:space/d-sandbox0001/alice-remote"
SESSION = {"SessionId": "sagemaker-0123456789abcdef", "TokenValue": "c2Vzc2lvbi10b2tlbg==",
           "StreamUrl": "wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/sagemaker-0123456789abcdef?x=1"}


@pytest.fixture
def laptop_key(home):
    ssh_dir = home / ".ssh"
    ssh_dir.mkdir()
    (ssh_dir / "id_ed25519.pub").write_text(KEY + " alice@laptop\n")
    return ssh_dir


def test_config_space_with_remote_access_writes_the_native_entry_and_says_so(run, api, laptop_key):
    api.answer(200, {"space": "alice-remote", "owner": "alice", "shared": False, "remoteAccess": True,
                     "running": True, "path": "native", "arn": SPACE_ARN})

    code, out, err = run("ssh", "config", "--space", "alice-remote")

    assert code == 0, err
    assert out == "sdocker-alice-remote\n"
    assert "path: native" in err and "SageMaker's remote access is on" in err
    assert [(r.method, r.path) for r in api.requests] == [("GET", "/v1/ssh/spaces/alice-remote")], \
        "no activation, no key on an SSM node"
    written = (laptop_key / "config").read_text()
    assert "  HostName %s\n" % SPACE_ARN in written
    proxy = [line for line in written.splitlines() if line.startswith("  ProxyCommand ")][0]
    assert " ssh proxy --space alice-remote --endpoint %s --region us-east-1 --domain-id d-sandbox0001 " \
           "--user-profile alice" % api.endpoint in proxy, proxy
    assert "aws ssm" not in written and "Port 2222" not in written


def test_config_space_without_remote_access_uses_its_ssm_registration_and_says_so(run, api, laptop_key):
    api.answer(200, {"space": "alice-project", "remoteAccess": False, "running": True, "path": "ssm"})
    api.answer(200, {"targets": [
        {"id": "mi-00000000000000001", "target": {"space": "alice-project"}, "pingStatus": "ConnectionLost",
         "registeredAt": "2025-02-01T11:00:00Z"},
        {"id": NODE, "target": {"space": "alice-project"}, "pingStatus": "Online", "registeredAt": "2025-02-01T10:00:00Z"},
        {"id": "mi-00000000000000002", "target": {"space": "other"}, "pingStatus": "Online"}]})
    api.answer(200, {"id": NODE, "target": {"space": "alice-project"}, "publicKey": KEY, "pingStatus": "Online"})

    code, out, err = run("ssh", "config", "--space", "alice-project")

    assert code == 0, err
    assert "path: SSM" in err and "remote access off" in err and NODE in err
    assert [(r.method, r.path) for r in api.requests] == [
        ("GET", "/v1/ssh/spaces/alice-project"), ("GET", "/v1/ssh/targets"), ("POST", "/v1/ssh/targets/%s/key" % NODE)]
    written = (laptop_key / "config").read_text()
    assert "  HostName %s\n" % NODE in written and "AWS-StartSSHSession" in written


def test_config_space_without_remote_access_or_registration_says_how_to_get_either(run, api, laptop_key):
    api.answer(200, {"space": "alice-project", "remoteAccess": False, "running": True, "path": "ssm"})
    api.answer(200, {"targets": []})

    code, out, err = run("ssh", "config", "--space", "alice-project")

    assert code == 1
    assert "sdocker ssh register" in err and "RemoteAccess=ENABLED" in err
    assert not (laptop_key / "config").exists()


def test_config_takes_an_id_or_a_space_not_both_nor_neither(run, api, laptop_key):
    for args in (("ssh", "config"), ("ssh", "config", NODE, "--space", "alice-project")):
        code, out, err = run(*args)
        assert code == 2 and "name one target" in err
    assert api.requests == []


def test_proxy_hands_the_session_to_the_plugin_and_writes_nothing_to_stdout(run, api, home, monkeypatch):
    calls = home / "plugin.log"
    plugin = fake_program(home, "session-manager-plugin", 'for a in "$@"; do echo "$a" >> %s; done\n' % calls)
    monkeypatch.setenv("PATH", "%s:%s" % (home, os.environ["PATH"]))
    api.answer(201, {"space": "alice-remote", "arn": SPACE_ARN, "region": "us-east-1", "session": SESSION})

    code, out, err = run("ssh", "proxy", "--space", "alice-remote")

    assert code == 0, err
    assert out == "", "stdout is ssh's stream"
    request = api.requests[0]
    assert (request.method, request.path) == ("POST", "/v1/ssh/spaces/alice-remote/session")
    assert request.headers.get("Idempotency-Key")
    argv = calls.read_text().splitlines()
    assert json.loads(argv[0]) == SESSION, "the plugin's first argument is StartSession's answer"
    assert argv[1:] == ["us-east-1", "StartSession"]
    assert plugin.exists()


def test_proxy_refused_or_without_the_plugin_is_one_line_and_no_plugin(run, api, home, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    code, out, err = run("ssh", "proxy", "--space", "alice-remote")
    assert code == 2 and "session-manager-plugin is not installed" in err
    assert api.requests == []

    calls = home / "plugin.log"
    fake_program(home, "session-manager-plugin", 'echo "$@" >> %s\n' % calls)
    monkeypatch.setenv("PATH", "%s:/usr/bin:/bin" % home)
    api.answer(409, {"error": "RemoteAccessDisabled", "message": "space alice-project does not have SageMaker's "
                     "remote access on"})
    code, out, err = run("ssh", "proxy", "--space", "alice-project")
    assert code == 1 and "does not have SageMaker's remote access on" in err
    assert not calls.exists()

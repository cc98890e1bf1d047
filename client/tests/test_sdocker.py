"""The client's own behaviour: arguments, configuration, errors, and what it writes."""
import json
import os
import socket
import subprocess
import sys

import pytest

CLIENT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "sdocker")


def run(*args, env=None):
    """Runs sdocker as a user would, returning (exit code, stdout, stderr)."""
    result = subprocess.run([sys.executable, CLIENT] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, env=env, timeout=60)
    return result.returncode, result.stdout, result.stderr


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def metadata(home):
    path = home / "resource-metadata.json"
    path.write_text(json.dumps({"DomainId": "d-sandbox0001", "UserProfileName": "alice"}))
    return path


@pytest.mark.parametrize("args, message", [
    ([], "the following arguments are required: COMMAND"),
    (["create-host"], "the following arguments are required: --instance-type"),
    (["create-host", "--instance-type", "m5.large", "--extra-port", "80"], "80 is not a port from 1024 to 65535"),
    (["create-host", "--instance-type", "m5.large", "--ttl-hours", "0"], "0 is not positive"),
    (["create-host", "--instance-type", "m5.large", "--volume-gib", "big"], "'big' is not a whole number"),
    (["terminate-host"], "the following arguments are required: HOST_ID"),
    (["explode"], "invalid choice: 'explode'"),
])
def test_bad_arguments_are_named_with_exit_code_2(home, args, message):
    code, out, err = run(*args, env=dict(os.environ))
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_without_an_endpoint_it_says_where_to_put_one(home, metadata):
    code, _, err = run("--metadata", str(metadata), "list-hosts", env=dict(os.environ))
    assert code == 2
    assert err.strip() == ("sdocker: no API endpoint: pass --endpoint, set SDOCKER_ENDPOINT, or put "
                           "{\"endpoint\": \"<ApiUrl of the stack>\"} in ~/.sdocker/config.json")


def test_a_missing_metadata_file_is_one_line_and_exit_2(home):
    code, out, err = run("--endpoint", "http://127.0.0.1:9/v1", "--region", "us-east-1",
                         "--metadata", str(home / "nope.json"), "create-host", "--instance-type", "m5.large",
                         env=dict(os.environ))
    assert code == 2
    assert err.count("\n") == 1
    assert "no Studio metadata at %s" % (home / "nope.json") in err


def test_create_host_needs_a_studio_identity(home, monkeypatch, sdocker):
    monkeypatch.setattr(sdocker, "DEFAULT_METADATA", str(home / "absent.json"))
    args = sdocker.parser().parse_args(["create-host", "--instance-type", "m5.large"])
    with pytest.raises(sdocker.SdockerError) as e:
        sdocker.resolve_identity(args, required=True)
    assert e.value.code == 2
    args = sdocker.parser().parse_args(["list-hosts", "--all"])
    assert sdocker.resolve_identity(args, required=False) is None, "an admin lists without one"


def test_an_unreachable_endpoint_is_one_line_and_exit_3(home, metadata):
    endpoint = "http://127.0.0.1:%d/v1" % free_port()
    code, out, err = run("--endpoint", endpoint, "--region", "us-east-1", "--metadata", str(metadata), "list-hosts",
                         env=dict(os.environ))
    assert code == 3
    assert err.startswith("sdocker: cannot reach the API at %s" % endpoint)
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert "unreachable" in (home / ".sdocker" / "sdocker.log").read_text()


def test_options_work_before_and_after_the_command(sdocker):
    before = sdocker.parser().parse_args(["--endpoint", "http://a/v1", "list-hosts"])
    after = sdocker.parser().parse_args(["list-hosts", "--endpoint", "http://b/v1"])
    assert before.endpoint == "http://a/v1"
    assert after.endpoint == "http://b/v1"


def test_the_endpoint_comes_from_flag_then_environment_then_config(home, monkeypatch, sdocker):
    (home / ".sdocker").mkdir()
    (home / ".sdocker" / "config.json").write_text(json.dumps({"endpoint": "https://cfg.example/v1/"}))
    args = sdocker.parser().parse_args(["list-hosts"])
    assert sdocker.resolve_endpoint(args, sdocker.read_config()) == "https://cfg.example/v1"
    monkeypatch.setenv("SDOCKER_ENDPOINT", "https://env.example/v1")
    assert sdocker.resolve_endpoint(args, sdocker.read_config()) == "https://env.example/v1"
    args = sdocker.parser().parse_args(["list-hosts", "--endpoint", "https://flag.example/v1"])
    assert sdocker.resolve_endpoint(args, sdocker.read_config()) == "https://flag.example/v1"


def test_a_broken_config_file_is_named(home, sdocker):
    (home / ".sdocker").mkdir()
    (home / ".sdocker" / "config.json").write_text("{endpoint:")
    with pytest.raises(sdocker.SdockerError) as e:
        sdocker.read_config()
    assert "config.json" in str(e.value) and e.value.code == 2


def test_the_region_is_read_from_an_api_gateway_url(home, sdocker):
    args = sdocker.parser().parse_args(["list-hosts"])
    url = "https://abc123.execute-api.eu-west-1.amazonaws.com/v1"
    assert sdocker.resolve_region(args, {}, url) == "eu-west-1"


def test_api_errors_become_one_readable_line(sdocker):
    error = sdocker.api_error(400, json.dumps({"error": "ValidationError", "message": "volumeGiB: must be from 30"}))
    assert str(error) == "volumeGiB: must be from 30 (400 ValidationError)"
    assert error.code == 1
    gateway = sdocker.api_error(403, json.dumps({"message": "Missing Authentication Token"}))
    assert str(gateway) == "Missing Authentication Token (403)"
    assert sdocker.api_error(502, "Bad Gateway").code == 3


def test_local_mode_points_at_the_shared_home_and_keeps_other_settings(home, sdocker):
    config = home / ".sagemaker" / "config.yaml"
    config.parent.mkdir()
    config.write_text("SageMaker:\n  PythonSDK:\n    Modules: {}\nlocal:\n  local_code: true\n  container_root: /old\n")
    shared = home / "efs-home"
    host = {"certDirectory": str(shared / ".sdocker" / "hosts" / "h-0123456789abcdef")}
    root = sdocker.configure_local_mode(host, "us-east-1")
    assert root == str(shared / "tmp")
    assert os.path.isdir(root)
    text = config.read_text()
    assert "  container_root: %s\n" % root in text
    assert "/old" not in text
    assert text.startswith("SageMaker:\n  PythonSDK:\n"), "other settings stay"


def test_forgetting_a_host_deletes_only_its_own_certificate_directory(home, sdocker, monkeypatch):
    monkeypatch.setattr(sdocker.shutil, "which", lambda name: None)
    victim = home / "important"
    victim.mkdir()
    sdocker.forget_host("h-0123456789abcdef", str(victim))
    assert victim.exists(), "a directory that is not .sdocker/hosts/<host id> is never deleted"
    certs = home / ".sdocker" / "hosts" / "h-0123456789abcdef"
    certs.mkdir(parents=True)
    (certs / "key.pem").write_text("x")
    sdocker.forget_host("h-0123456789abcdef", str(certs))
    assert not certs.exists()

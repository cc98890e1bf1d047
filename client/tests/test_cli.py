"""The command line: arguments, exit codes, one-line errors, and how command groups plug in."""
import socket

import pytest

from studiocp_client import cli, commands
from studiocp_client.arguments import group
from studiocp_client.commands import admin, hosts, ssh, studio


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("args, message", [
    ([], "the following arguments are required: COMMAND"),
    (["create-host"], "the following arguments are required: --instance-type"),
    (["create-host", "--instance-type", "m5.large", "--extra-port", "80"], "80 is not a port from 1024 to 65535"),
    (["create-host", "--instance-type", "m5.large", "--ttl-hours", "0"], "0 is not positive"),
    (["create-host", "--instance-type", "m5.large", "--volume-gib", "big"], "'big' is not a whole number"),
    (["terminate-host"], "the following arguments are required: HOST_ID"),
    (["explode"], "invalid choice: 'explode'"),
])
def test_bad_arguments_are_named_with_exit_code_2(sdocker, args, message):
    code, out, err = sdocker(*args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and err.rstrip().endswith("--help')"), "one line, saying where the help is: " + err
    assert "Traceback" not in err


def test_without_an_endpoint_it_says_where_to_put_one(sdocker, metadata):
    code, _, err = sdocker("--metadata", str(metadata), "list-hosts")
    assert code == 2
    assert err.strip() == ("sdocker: no API endpoint: pass --endpoint, set SDOCKER_ENDPOINT, or put "
                           "{\"endpoint\": \"<ApiUrl of the stack>\"} in ~/.sdocker/config.json")


def test_a_missing_metadata_file_is_one_line_and_exit_2(sdocker, home):
    code, out, err = sdocker("--endpoint", "http://127.0.0.1:9/v1", "--region", "us-east-1",
                             "--metadata", str(home / "nope.json"), "create-host", "--instance-type", "m5.large")
    assert code == 2
    assert err.count("\n") == 1
    assert "no Studio metadata at %s" % (home / "nope.json") in err


def test_an_unreachable_endpoint_is_one_line_and_exit_3_after_backing_off(sdocker, home, metadata, monkeypatch):
    pauses = []
    monkeypatch.setattr("studiocp_client.api.time.sleep", pauses.append)
    endpoint = "http://127.0.0.1:%d/v1" % free_port()
    code, out, err = sdocker("--endpoint", endpoint, "--region", "us-east-1", "--metadata", str(metadata),
                             "list-hosts")
    assert code == 3
    assert err.startswith("sdocker: cannot reach the API at %s" % endpoint)
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert "unreachable" in (home / ".sdocker" / "sdocker.log").read_text()
    assert pauses == [1.0, 2.0], "three attempts, backing off exponentially"


def test_options_work_before_and_after_the_command():
    before = cli.parser().parse_args(["--endpoint", "http://a/v1", "list-hosts"])
    after = cli.parser().parse_args(["list-hosts", "--endpoint", "http://b/v1"])
    assert before.endpoint == "http://a/v1"
    assert after.endpoint == "http://b/v1"


def test_version_and_help_exit_0(sdocker):
    code, out, _ = sdocker("--version")
    assert (code, out) == (0, "sdocker 1.0\n")
    code, out, _ = sdocker("--help")
    assert code == 0
    for command in ("create-host", "list-hosts", "host-status", "use-host", "terminate-host",
                    "terminate-current-host"):
        assert command in out
    assert "exit codes: 0 done; 1 refused" in out


def test_a_defect_is_one_line_with_exit_70_and_its_details_in_the_log(sdocker, api, home, metadata, monkeypatch):
    api.answer(200, {"hosts": ["not a host"]})
    code, _, err = sdocker("--endpoint", api.endpoint, "--region", "us-east-1", "--metadata", str(metadata),
                           "list-hosts")
    assert code == 70
    assert err.count("\n") == 1 and err.startswith("sdocker: unexpected error: ")
    assert "Traceback" not in err
    assert "unexpected error: TypeError(" in (home / ".sdocker" / "sdocker.log").read_text()
    monkeypatch.setenv("SDOCKER_DEBUG", "1")
    api.answer(200, {"hosts": ["not a host"]})
    with pytest.raises(TypeError):
        cli.entry(["--endpoint", api.endpoint, "--region", "us-east-1", "list-hosts"])


def test_every_group_is_registered_in_its_place():
    assert commands.GROUPS == (hosts, studio, admin, ssh)
    assert all(callable(g.register) for g in commands.GROUPS)


class DemoGroup:
    """What the next group looks like: `sdocker demo ping` and `sdocker demo stop`."""
    calls = []

    @staticmethod
    def register(commands, common):
        demo = group(commands, "demo", common, help="a group of commands")
        ping = demo.add_parser("ping", parents=[common], help="answers")
        ping.add_argument("--times", type=int, default=1)
        ping.set_defaults(run=DemoGroup.ping, needs_identity=True)
        stop = demo.add_parser("stop", parents=[common], help="interrupted")
        stop.set_defaults(run=DemoGroup.stop)

    @staticmethod
    def ping(args, api):
        DemoGroup.calls.append((args, api))
        print("pong" * args.times)
        return 0

    @staticmethod
    def stop(args, api):
        raise KeyboardInterrupt


class EmptyGroup:
    @staticmethod
    def register(commands, common):
        pass


def test_a_new_group_plugs_in_with_its_module_alone(sdocker, metadata, monkeypatch):
    monkeypatch.setattr(cli, "GROUPS", (hosts, DemoGroup, EmptyGroup))
    code, out, err = sdocker("demo", "ping", "--times", "2", "--endpoint", "http://127.0.0.1:9/v1",
                             "--region", "eu-west-1", "--metadata", str(metadata), "--json")
    assert (code, out) == (0, "pongpong\n"), err
    args, api = DemoGroup.calls[-1]
    assert args.json is True, "the common options work after a group's command"
    assert api.identity == ("d-sandbox0001", "alice") and api.region == "eu-west-1"
    code, _, err = sdocker("demo")
    assert code == 2 and "the following arguments are required: COMMAND" in err
    code, _, err = sdocker("--endpoint", "http://127.0.0.1:9/v1", "--region", "eu-west-1", "demo", "stop")
    assert code == 130 and "interrupted" in err
    code, out, _ = sdocker("--help")
    assert "demo" in out and "create-host" in out
    code, _, err = sdocker("empty")
    assert code == 2 and "invalid choice: 'empty'" in err, "a group without commands is not offered"


def test_a_group_command_needing_an_identity_says_so(sdocker, home, monkeypatch):
    monkeypatch.setattr(cli, "GROUPS", (DemoGroup,))
    monkeypatch.setattr("studiocp_client.config.DEFAULT_METADATA", str(home / "absent.json"))
    code, _, err = sdocker("--endpoint", "http://127.0.0.1:9/v1", "--region", "eu-west-1", "demo", "ping")
    assert code == 2
    assert "no Studio metadata at %s" % (home / "absent.json") in err

"""Where the client finds its endpoint, region, Studio identity and AWS profile."""
import json

import pytest

from studiocp_client import cli, config
from studiocp_client.errors import CommandError


def args(*argv):
    return cli.parser().parse_args(list(argv) or ["list-hosts"])


def write_config(home, values):
    (home / ".sdocker").mkdir(exist_ok=True)
    (home / ".sdocker" / "config.json").write_text(values if isinstance(values, str) else json.dumps(values))


def test_the_endpoint_comes_from_flag_then_environment_then_config(home, monkeypatch):
    write_config(home, {"endpoint": "https://cfg.example/v1/"})
    assert config.resolve_endpoint(args(), config.read_config()) == "https://cfg.example/v1"
    monkeypatch.setenv("SDOCKER_ENDPOINT", "https://env.example/v1")
    assert config.resolve_endpoint(args(), config.read_config()) == "https://env.example/v1"
    flagged = args("list-hosts", "--endpoint", "https://flag.example/v1")
    assert config.resolve_endpoint(flagged, config.read_config()) == "https://flag.example/v1"


def test_an_endpoint_that_is_not_a_url_is_refused(home):
    with pytest.raises(CommandError) as e:
        config.resolve_endpoint(args("--endpoint", "ftp://x/v1", "list-hosts"), {})
    assert e.value.code == 2 and "'ftp://x/v1' is not an http(s) URL" in str(e.value)


def test_a_broken_config_file_is_named(home):
    write_config(home, "{endpoint:")
    with pytest.raises(CommandError) as e:
        config.read_config()
    assert "config.json" in str(e.value) and e.value.code == 2


@pytest.mark.parametrize("content, message", [
    ('["https://x/v1"]', "must hold a JSON object"),
    ('{"endpoint": 42}', '"endpoint" in'),
    ('{"domainId": ["d-1"]}', '"domainId" in'),
])
def test_a_config_file_of_the_wrong_shape_is_named(home, content, message):
    write_config(home, content)
    with pytest.raises(CommandError) as e:
        config.read_config()
    assert message in str(e.value) and e.value.code == 2


def test_the_region_is_read_from_an_api_gateway_url(home):
    url = "https://abc123.execute-api.eu-west-1.amazonaws.com/v1"
    assert config.resolve_region(args(), {}, url) == "eu-west-1"


def test_the_region_comes_from_flag_then_environment_then_config(home, monkeypatch):
    url = "https://abc123.execute-api.eu-west-1.amazonaws.com/v1"
    assert config.resolve_region(args(), {"region": "ap-south-1"}, url) == "ap-south-1"
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
    assert config.resolve_region(args(), {"region": "ap-south-1"}, url) == "us-west-2"
    assert config.resolve_region(args("--region", "sa-east-1", "list-hosts"), {}, url) == "sa-east-1"
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with pytest.raises(CommandError) as e:
        config.resolve_region(args(), {}, "https://api.example.com/v1")
    assert e.value.code == 2 and "no AWS region" in str(e.value)


def test_create_host_needs_a_studio_identity(home, monkeypatch):
    monkeypatch.setattr(config, "DEFAULT_METADATA", str(home / "absent.json"))
    with pytest.raises(CommandError) as e:
        config.resolve_identity(args("create-host", "--instance-type", "m5.large"), {}, required=True)
    assert e.value.code == 2
    assert config.resolve_identity(args("list-hosts", "--all"), {}, required=False) is None, "an admin lists without one"


def test_in_studio_the_metadata_file_names_the_user(home, monkeypatch, metadata):
    monkeypatch.setattr(config, "DEFAULT_METADATA", str(metadata))
    laptop = {"domainId": "d-other", "userProfile": "other"}
    assert config.resolve_identity(args(), laptop, required=True) == ("d-sandbox0001", "alice")
    assert config.resolve_identity(args("--domain-id", "d-1", "--user-profile", "bob", "list-hosts"), {},
                                   required=True) == ("d-1", "bob"), "the flags win"


def test_on_a_laptop_the_config_file_names_the_user(home, monkeypatch):
    monkeypatch.setattr(config, "DEFAULT_METADATA", str(home / "absent.json"))
    laptop = {"domainId": "d-laptop", "userProfile": "carol"}
    assert config.resolve_identity(args(), laptop, required=True) == ("d-laptop", "carol")
    with pytest.raises(CommandError) as e:
        config.resolve_identity(args(), {"domainId": "d-laptop"}, required=False)
    assert e.value.code == 2 and 'both "domainId" and "userProfile"' in str(e.value)
    with pytest.raises(CommandError) as e:
        config.resolve_identity(args(), {}, required=True)
    assert '"domainId" and "userProfile" in ~/.sdocker/config.json' in str(e.value), "the laptop way is named"


@pytest.mark.parametrize("argv", [["--domain-id", "d-1", "list-hosts"], ["list-hosts", "--user-profile", "bob"]])
def test_a_half_identity_is_refused(home, argv):
    with pytest.raises(CommandError) as e:
        config.resolve_identity(args(*argv), {}, required=False)
    assert e.value.code == 2 and "pass both --domain-id and --user-profile" in str(e.value)


def test_an_unreadable_metadata_file_is_named(home):
    broken = home / "metadata.json"
    broken.write_text("{")
    with pytest.raises(CommandError) as e:
        config.resolve_identity(args("--metadata", str(broken), "list-hosts"), {}, required=False)
    assert e.value.code == 2 and "cannot read the Studio metadata %s" % broken in str(e.value)
    broken.write_text('{"DomainId": "d-1"}')
    with pytest.raises(CommandError) as e:
        config.resolve_identity(args("--metadata", str(broken), "list-hosts"), {}, required=False)
    assert "names no UserProfileName" in str(e.value) and "pass --domain-id and --user-profile" in str(e.value)
    broken.write_text('{"UserProfileName": "alice"}')
    with pytest.raises(CommandError) as e:
        config.resolve_identity(args("--metadata", str(broken), "list-hosts"), {}, required=False)
    assert "names no DomainId" in str(e.value)


def test_the_session_space_reads_the_same_file_and_tolerates_what_identity_refuses(home):
    metadata = home / "metadata.json"
    metadata.write_text('{"DomainId": "d-1", "SpaceName": "my-space"}')
    assert config.session_space(args("--metadata", str(metadata), "studio", "down")) == "my-space"
    for unreadable in ["{", "[1, 2]"]:
        metadata.write_text(unreadable)
        assert config.session_space(args("--metadata", str(metadata), "studio", "down")) is None
    metadata.unlink()
    assert config.app_metadata(args("--metadata", str(metadata), "studio", "down")) == {}


def test_the_aws_profile_comes_from_flag_then_environment_then_config(home, monkeypatch):
    assert config.resolve_profile(args(), {}) is None, "botocore's default chain"
    assert config.resolve_profile(args(), {"profile": "cfg"}) == "cfg"
    monkeypatch.setenv("AWS_PROFILE", "env")
    assert config.resolve_profile(args(), {"profile": "cfg"}) == "env"
    assert config.resolve_profile(args("--profile", "flag", "list-hosts"), {"profile": "cfg"}) == "flag"

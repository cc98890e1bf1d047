"""The new Studio (JupyterLab and Code Editor spaces), whose app metadata names the domain and the
space but not the user profile: every command that reads the metadata claims the space instead
(X-Studio-Space-Name), and the API acts as the space's owner once it has proved the caller may
(ActorResolverTest); the flags still win; a metadata file that names neither is one line naming them.

The metadata below is shaped like the new Studio's /opt/ml/metadata/resource-metadata.json as far
as the documentation and users' reports go (no AWS account here to read a real one): DomainId,
SpaceName, AppType, ResourceArn, ResourceName, ExecutionRoleArn, and UserProfileName left out or
empty."""
import json

import pytest

NEW_STUDIO = {"AppType": "JupyterLab", "DomainId": "d-sandbox0001", "SpaceName": "alice-project",
              "ResourceArn": "arn:aws:sagemaker:us-east-1:123456789012:app/d-sandbox0001/alice-project/"
                             "JupyterLab/default",
              "ResourceName": "default", "AppImageVersion": "",
              "ExecutionRoleArn": "arn:aws:iam::123456789012:role/studio-alice"}


@pytest.fixture(params=["absent", "empty"])
def new_studio(home, request):
    path = home / "resource-metadata.json"
    metadata = dict(NEW_STUDIO)
    if request.param == "empty":
        metadata["UserProfileName"] = ""
    path.write_text(json.dumps(metadata))
    return path


@pytest.fixture
def run(sdocker, api, new_studio):
    def with_api(*args):
        return sdocker("--endpoint", api.endpoint, "--region", "us-east-1", "--metadata", str(new_studio), *args)
    return with_api


def claims(request):
    return (request.headers.get("X-Studio-Domain-Id"), request.headers.get("X-Studio-Space-Name"),
            request.headers.get("X-Studio-User-Profile"))


@pytest.mark.parametrize("command, answer", [
    (["list-hosts", "--json"], {"hosts": []}),
    (["studio", "status", "--json"], {"apps": [], "totalCostUsd": 0}),
    (["studio", "spaces", "list", "--json"], {"spaces": []}),
    (["ssh", "list", "--json"], {"targets": []}),
])
def test_every_command_claims_the_space_when_the_metadata_names_no_profile(run, api, command, answer):
    api.answer(200, answer)

    code, out, err = run(*command)

    assert code == 0, err
    assert [claims(r) for r in api.requests] == [("d-sandbox0001", "alice-project", None)]


def test_ssh_register_works_in_the_new_studio(run, api, home, monkeypatch):
    from test_ssh_commands import ACTIVATION, NODE, fake_program
    from studiocp_client.commands import ssh
    bin_dir = home / "bin"
    bin_dir.mkdir()
    registration = home / "registration"
    fake_program(bin_dir, "amazon-ssm-agent", """case "$1" in -register)
echo '{"ManagedInstanceID":"%s"}' > %s;; esac
""" % (NODE, registration))
    fake_program(bin_dir, "sshd", "true\n")
    monkeypatch.setenv("PATH", "%s:/usr/bin:/bin" % bin_dir)
    monkeypatch.setenv("SDOCKER_SSM_REGISTRATION", str(registration))
    monkeypatch.setattr(ssh.os, "geteuid", lambda: 0)
    api.answer(201, ACTIVATION).answer(200, {"targets": []})

    code, out, err = run("ssh", "register", "--once")

    assert code == 0, err
    assert out == NODE + "\n"
    activation = api.requests[0]
    assert activation.json() == {"target": {"space": "alice-project"}}
    assert claims(activation) == ("d-sandbox0001", "alice-project", None)


def test_the_flags_name_the_user_where_the_space_cannot(run, api):
    api.answer(200, {"spaces": []})

    code, out, err = run("--domain-id", "d-sandbox0001", "--user-profile", "bob", "studio", "spaces", "list",
                         "--json")

    assert code == 0, err
    assert claims(api.requests[0]) == ("d-sandbox0001", None, "bob")


def test_a_refusal_of_the_space_claim_is_one_line_naming_the_flags(run, api):
    api.answer(403, {"error": "Forbidden", "message": "arn:aws:sts::123456789012:assumed-role/studio-team/SageMaker "
                     "may not act as user profile d-sandbox0001/alice (the owner of space alice-project; in a space "
                     "shared with you, say who you are: sdocker --domain-id d-sandbox0001 --user-profile <your "
                     "profile>): it is not the profile's execution role"})

    code, out, err = run("studio", "status")

    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "--user-profile <your profile>" in err


def test_metadata_naming_neither_a_profile_nor_a_space_is_one_line_and_asks_nothing(sdocker, api, home):
    path = home / "resource-metadata.json"
    path.write_text(json.dumps({"AppType": "JupyterServer", "DomainId": "d-sandbox0001"}))

    code, out, err = sdocker("--endpoint", api.endpoint, "--region", "us-east-1", "--metadata", str(path),
                             "studio", "status")

    assert code == 2
    assert "names no UserProfileName" in err and "pass --domain-id and --user-profile" in err
    assert api.requests == []

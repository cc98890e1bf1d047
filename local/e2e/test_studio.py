"""Studio sessions end to end (seed 001's sm_studio): the built sdocker, as seeded users in Studio and
from laptops, through the sandbox's signed API to the Studio stand-in. A sandbox of its own without
Docker hosts, as these tests change the seed's apps and spaces."""
import base64
import json

import pytest

from conftest import running_sandbox
from sandboxctl import wait_for


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    yield from running_sandbox(tmp_path_factory.mktemp("studio-sandbox"), "--no-hosts")


@pytest.fixture(scope="module")
def sagemaker(sandbox):
    import boto3
    return boto3.client("sagemaker", region_name=sandbox.ready["region"], endpoint_url=sandbox.ready["studio"],
                        aws_access_key_id="sandbox", aws_secret_access_key="sandbox")


DOMAIN = "d-sandbox0001"


def studio(sandbox, user, *args, timeout=120):
    return sandbox.sdocker(user, "studio", *args, timeout=timeout)


def claims(url):
    """What a presigned URL's token says (the stand-in signs it; reading it needs no key)."""
    payload = url.split("token=", 1)[1].split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def studio_state(sagemaker):
    apps = sorted((a.get("UserProfileName") or a.get("SpaceName"), a["AppType"], a["AppName"], a["Status"])
                  for a in sagemaker.list_apps(DomainIdEquals=DOMAIN, MaxResults=100)["Apps"])
    spaces = sorted((s["SpaceName"], s["Status"]) for s in sagemaker.list_spaces(DomainIdEquals=DOMAIN)["Spaces"])
    return apps, spaces


def settled(sagemaker):
    """The seed's apps and spaces once nothing is Pending any more."""
    wait_for(lambda: all(state[-1] != "Pending" for group in studio_state(sagemaker) for state in group), 30,
             "the seed's apps and spaces in service")
    return studio_state(sagemaker)


def test_bad_inputs_are_each_a_4xx_that_changes_nothing(sandbox, sagemaker):
    before = settled(sagemaker)
    refused = [
        ("alice", ("up", "--no-browser", "--space", "Bad_Name"), "space: 'Bad_Name' is not a space name", "400"),
        ("alice", ("up", "--no-browser", "--space", "x" * 64), "is not a space name", "400"),
        ("alice", ("up", "--no-browser", "--expires-in", "301"), "expiresInSeconds: must be from 5 to 300", "400"),
        ("alice", ("up", "--no-browser", "--expires-in", "4"), "expiresInSeconds: must be from 5 to 300", "400"),
        ("alice", ("up", "--no-browser", "--session-hours", "13"), "sessionExpirationSeconds: must be from 1800 to 43200",
         "400"),
        ("bob", ("up", "--no-browser", "--space", "alice-notebooks"), "no space alice-notebooks you can open", "404"),
        ("alice", ("down", "--keep", "no-such-app"), "keep: no running app of d-sandbox0001/alice is named no-such-app",
         "400"),
        ("alice", ("spaces", "create", "team-space"), "already has a space named team-space", "409"),
        ("alice", ("spaces", "create", "no_underscores"), "name: 'no_underscores' is not a space name", "400"),
        ("bob", ("spaces", "delete", "alice-notebooks"), "no space alice-notebooks of yours", "404"),
        ("bob", ("spaces", "delete", "team-space"), "no space team-space of yours", "404"),
        ("stranger-laptop", ("up", "--no-browser"), "studiocp:principals", "403"),
    ]
    wrong = []
    for user, args, message, status in refused:
        result = studio(sandbox, user, *args)
        line = result.stderr.strip()
        if result.returncode != 1 or message not in line or "(%s " % status not in line or "\n" in line:
            wrong.append("%s %s: exit %d, %r" % (user, " ".join(args), result.returncode, result.stderr))
    assert wrong == []
    assert studio_state(sagemaker) == before, "a refused request changes nothing in Studio"


def test_up_gives_a_url_for_that_user_only(sandbox):
    for user in ("alice", "bob"):
        result = studio(sandbox, user, "up", "--no-browser")
        assert result.returncode == 0, result.stderr
        url = result.stdout.strip()
        assert url.startswith("https://%s.studio.us-east-1.sagemaker.aws/auth?token=" % DOMAIN)
        granted = claims(url)
        assert (granted["domainId"], granted["userProfileName"]) == (DOMAIN, user)
        assert "spaceName" not in granted
        assert granted["exp"] - granted["iat"] == 300
        assert "open it before" in result.stderr and "UTC" in result.stderr


def test_up_with_a_new_space_creates_it_private_to_the_user(sandbox, sagemaker):
    result = studio(sandbox, "alice", "up", "--no-browser", "--space", "new-space", "--app", "codeeditor")
    assert result.returncode == 0, result.stderr
    assert "created space new-space (private to you)" in result.stderr
    granted = claims(result.stdout.strip())
    assert (granted["userProfileName"], granted["spaceName"], granted["landingUri"]) == \
        ("alice", "new-space", "app:CodeEditor:")
    space = sagemaker.describe_space(DomainId=DOMAIN, SpaceName="new-space")
    assert space["OwnershipSettings"]["OwnerUserProfileName"] == "alice"
    assert space["SpaceSharingSettings"]["SharingType"] == "Private"
    assert space["SpaceSettings"]["AppType"] == "CodeEditor"

    again = studio(sandbox, "alice", "--json", "up", "--space", "new-space")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["spaceCreated"] is False
    assert json.loads(again.stdout)["app"] == "CodeEditor", "it opens in the space's own app"


def test_status_lists_my_apps_with_what_they_cost(sandbox):
    result = studio(sandbox, "alice", "--json", "status")
    assert result.returncode == 0, result.stderr
    apps = {(a["appType"], a["appName"], a.get("space")): a for a in json.loads(result.stdout)["apps"]}
    gpu = apps[("KernelGateway", "pytorch-2-1-gpu-ml-g4dn-xlarge-4f1b", None)]
    assert gpu["instanceType"] == "ml.g4dn.xlarge" and gpu["status"] == "InService"
    assert 29 * 3600 < gpu["ageSeconds"] < 31 * 3600
    assert gpu["costUsd"] == pytest.approx(gpu["hourlyUsd"] * gpu["ageSeconds"] / 3600, rel=0.01)
    assert gpu["costUsd"] > 10
    assert apps[("JupyterServer", "default", None)]["costUsd"] == 0
    assert ("JupyterLab", "default", "alice-notebooks") in apps, "apps of my private space are mine"
    assert not any(a.get("userProfileName") == "bob" for a in apps.values()), "no one else's"

    table = studio(sandbox, "alice", "status")
    assert table.returncode == 0
    assert "pytorch-2-1-gpu-ml-g4dn-xlarge-4f1b" in table.stdout and "$" in table.stdout
    assert "running; about $" in table.stdout.splitlines()[-1]


def test_a_laptop_principal_tagged_on_the_profile_acts_as_it(sandbox):
    laptop = studio(sandbox, "alice-laptop", "--json", "status")
    assert laptop.returncode == 0, laptop.stderr
    in_studio = studio(sandbox, "alice", "--json", "status")
    assert [a["appName"] for a in json.loads(laptop.stdout)["apps"]] == \
        [a["appName"] for a in json.loads(in_studio.stdout)["apps"]]
    url = studio(sandbox, "alice-laptop", "up", "--no-browser")
    assert url.returncode == 0, url.stderr
    assert claims(url.stdout.strip())["userProfileName"] == "alice"

    stranger = studio(sandbox, "stranger-laptop", "status")
    assert stranger.returncode == 1
    assert stranger.stderr.startswith("sdocker: arn:aws:iam::123456789012:user/stranger may not act as user profile "
                                      "d-sandbox0001/alice"), stranger.stderr
    assert "(403 Forbidden)" in stranger.stderr


def test_spaces_list_create_and_delete_by_their_owner(sandbox, sagemaker):
    created = studio(sandbox, "bob", "spaces", "create", "bobs-shared", "--shared")
    assert created.returncode == 0, created.stderr
    assert "created shared space bobs-shared" in created.stdout

    alice = json.loads(studio(sandbox, "alice", "--json", "spaces", "list").stdout)
    bob = json.loads(studio(sandbox, "bob", "--json", "spaces", "list").stdout)
    assert {s["name"] for s in alice} >= {"alice-notebooks", "team-space", "new-space", "bobs-shared"}
    assert "alice-notebooks" not in {s["name"] for s in bob}, "a private space is its owner's alone"
    assert [s["mine"] for s in bob if s["name"] == "bobs-shared"] == [True]

    # alice-notebooks runs an app: the space goes once SageMaker has deleted it (10 s in the sandbox).
    deleted = studio(sandbox, "alice", "spaces", "delete", "alice-notebooks", "--timeout", "90", timeout=150)
    assert deleted.returncode == 0, deleted.stderr
    assert "deleting the apps of alice-notebooks first: JupyterLab default" in deleted.stderr
    assert deleted.stdout.strip() == "space alice-notebooks is being deleted"
    wait_for(lambda: "alice-notebooks" not in {s["SpaceName"] for s in sagemaker.list_spaces(
        DomainIdEquals=DOMAIN)["Spaces"]}, 30, "the space gone")
    assert sagemaker.describe_space(DomainId=DOMAIN, SpaceName="team-space")["Status"] == "InService"

    shared = studio(sandbox, "bob", "spaces", "delete", "bobs-shared")
    assert shared.returncode == 0, shared.stderr


def test_down_deletes_my_apps_but_the_one_holding_my_session_and_no_one_elses(sandbox, sagemaker, tmp_path):
    # Runs after the spaces test (which deletes alice-notebooks). From inside alice's shared space
    # team-space (the new Studio's metadata names the space): that space's app holds the session and
    # stays; her KernelGateway goes.
    in_space = tmp_path / "space-metadata.json"
    in_space.write_text(json.dumps({"DomainId": DOMAIN, "UserProfileName": "alice", "SpaceName": "team-space",
                                    "AppType": "JupyterLab", "AppName": "default"}))
    from_space = studio(sandbox, "alice", "down", "--dry-run", "--metadata", str(in_space))
    assert from_space.returncode == 0, from_space.stderr
    assert "keeping JupyterLab default (space team-space)" in from_space.stdout, from_space.stdout
    assert "would delete KernelGateway pytorch-2-1-gpu-ml-g4dn-xlarge-4f1b (profile alice)" in from_space.stdout

    # From Studio Classic (alice's metadata names no space): her default JupyterServer holds the session.
    dry = studio(sandbox, "alice", "down", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would delete KernelGateway pytorch-2-1-gpu-ml-g4dn-xlarge-4f1b (profile alice)" in dry.stdout
    assert "would delete JupyterLab default (space team-space)" in dry.stdout, dry.stdout
    assert "keeping JupyterServer default (profile alice)" in dry.stdout
    assert sagemaker.describe_app(DomainId=DOMAIN, UserProfileName="alice", AppType="KernelGateway",
                                  AppName="pytorch-2-1-gpu-ml-g4dn-xlarge-4f1b")["Status"] == "InService"

    down = studio(sandbox, "alice", "down")
    assert down.returncode == 0, down.stderr
    assert "deleting KernelGateway pytorch-2-1-gpu-ml-g4dn-xlarge-4f1b (profile alice)" in down.stdout

    def status(owner, app_type, name, space=False):
        key = {"SpaceName": owner} if space else {"UserProfileName": owner}
        return sagemaker.describe_app(DomainId=DOMAIN, AppType=app_type, AppName=name, **key)["Status"]

    assert status("alice", "KernelGateway", "pytorch-2-1-gpu-ml-g4dn-xlarge-4f1b") in ("Deleting", "Deleted")
    assert status("alice", "JupyterServer", "default") == "InService"
    assert status("team-space", "JupyterLab", "default", space=True) in ("Deleting", "Deleted"), \
        "a shared space alice owns is hers"
    for app in ("datascience-1-0-ml-t3-medium-9c2d", "datascience-1-0-ml-m5-xlarge-7e1a"):
        assert status("bob", "KernelGateway", app) == "InService", "bob's apps are not alice's to delete"
    assert status("dave", "KernelGateway", "datascience-1-0-ml-m5-large-3d4e") == "InService"

    again = studio(sandbox, "alice", "down")
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == ["keeping JupyterServer default (profile alice)", "nothing to delete"], \
        again.stdout

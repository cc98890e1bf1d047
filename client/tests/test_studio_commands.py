"""`sdocker studio ...` against the API played by a local server: what each command asks of the API
(method, path, query, body, identity, an Idempotency-Key on every POST and DELETE) and what it prints."""
import json
import urllib.parse

import pytest

from studiocp_client.commands import studio

URL = "https://d-sandbox0001.studio.us-east-1.sagemaker.aws/auth?token=abc.def.ghi"


@pytest.fixture
def run(sdocker, api, metadata):
    """sdocker against the fake API, as alice in Studio."""
    def with_api(*args):
        return sdocker("--endpoint", api.endpoint, "--region", "us-east-1", "--metadata", str(metadata), *args)
    return with_api


@pytest.fixture
def browser(monkeypatch):
    """Records what would be opened in a browser instead of opening it."""
    import webbrowser
    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(studio.sys, "platform", "linux")
    return opened


def mutating(request):
    assert request.headers.get("Idempotency-Key"), "every POST and DELETE carries an Idempotency-Key"
    return request


def test_up_asks_for_the_space_and_app_and_prints_the_url(run, api, browser):
    api.answer(200, {"url": URL, "expiresAt": "2025-02-01T10:05:00Z", "space": "new-space", "spaceCreated": True,
                     "sessionExpirationSeconds": 7200, "app": "CodeEditor"})

    code, out, err = run("studio", "up", "--space", "new-space", "--app", "CodeEditor", "--session-hours", "2",
                         "--expires-in", "60")

    assert code == 0, err
    assert out == URL + "\n"
    assert "created space new-space (private to you)" in err
    assert "2025-02-01 10:05:00 UTC" in err
    request = mutating(api.requests[0])
    assert (request.method, request.path) == ("POST", "/v1/studio/url")
    assert request.json() == {"space": "new-space", "app": "codeeditor", "sessionExpirationSeconds": 7200,
                              "expiresInSeconds": 60}
    assert request.headers["X-Studio-Domain-Id"] == "d-sandbox0001"
    assert request.headers["X-Studio-User-Profile"] == "alice"
    assert browser == [], "no display: no browser"


def test_up_opens_a_browser_on_a_desktop_unless_told_not_to(run, api, browser, monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")
    api.answer(200, {"url": URL, "expiresAt": "2025-02-01T10:05:00Z", "spaceCreated": False})
    api.answer(200, {"url": URL, "expiresAt": "2025-02-01T10:05:00Z", "spaceCreated": False})

    assert run("studio", "up")[0] == 0
    assert run("studio", "up", "--no-browser")[0] == 0

    assert browser == [URL]
    assert [r.json() for r in api.requests] == [{}, {}]
    assert api.requests[0].headers["Idempotency-Key"] != api.requests[1].headers["Idempotency-Key"]


def test_up_refuses_an_app_it_does_not_know_without_calling(run, api):
    code, out, err = run("studio", "up", "--app", "rstudio")

    assert code == 2
    assert "invalid choice: 'rstudio'" in err
    assert api.requests == []


def test_a_refusal_is_one_line_and_exit_1(run, api):
    api.answer(404, {"error": "NotFound", "message": "no space bob-private you can open in domain d-sandbox0001"})

    code, out, err = run("studio", "up", "--space", "bob-private")

    assert code == 1
    assert err.strip() == ("sdocker: no space bob-private you can open in domain d-sandbox0001 (404 NotFound)")
    assert out == ""


def test_down_asks_to_delete_all_but_what_is_kept_and_says_what_goes(run, api):
    api.answer(200, {"dryRun": True,
                     "deleted": [{"appType": "KernelGateway", "appName": "gpu-kernel", "userProfileName": "alice",
                                  "status": "InService"}],
                     "kept": [{"appType": "JupyterLab", "appName": "default", "space": "alice-lab", "status": "InService"}]})

    code, out, err = run("studio", "down", "--dry-run", "--keep", "default", "--keep", "other", "--include-default")

    assert code == 0, err
    request = mutating(api.requests[0])
    assert request.method == "DELETE"
    path, _, query = request.path.partition("?")
    assert path == "/v1/studio/apps"
    assert urllib.parse.parse_qs(query) == {"dryRun": ["true"], "keepDefault": ["false"], "keep": ["default,other"]}
    assert out.splitlines() == ["would delete KernelGateway gpu-kernel (profile alice)",
                                "keeping JupyterLab default (space alice-lab)"]


def test_down_by_default_keeps_the_default_app(run, api):
    api.answer(202, {"dryRun": False, "deleted": [], "kept": []})

    code, out, err = run("studio", "down")

    assert code == 0
    assert mutating(api.requests[0]).path == "/v1/studio/apps"
    assert out == "nothing to delete\n"


def test_down_in_a_space_names_that_space_as_the_session_to_keep(sdocker, api, home):
    space_metadata = home / "space-metadata.json"
    space_metadata.write_text(json.dumps({"DomainId": "d-sandbox0001", "UserProfileName": "alice",
                                          "SpaceName": "alice-lab", "AppType": "JupyterLab", "AppName": "default"}))
    api.answer(202, {"dryRun": False, "deleted": [], "kept": [
        {"appType": "JupyterLab", "appName": "default", "space": "alice-lab", "status": "InService"}]})

    code, out, err = sdocker("--endpoint", api.endpoint, "--region", "us-east-1", "--metadata", str(space_metadata),
                             "studio", "down")

    assert code == 0, err
    _, _, query = mutating(api.requests[0]).path.partition("?")
    assert urllib.parse.parse_qs(query) == {"space": ["alice-lab"]}
    assert out.splitlines() == ["keeping JupyterLab default (space alice-lab)", "nothing to delete"]


def test_status_shows_each_app_with_its_age_and_cost_and_a_total(run, api):
    api.answer(200, {"apps": [
        {"appType": "JupyterServer", "appName": "default", "userProfileName": "alice", "instanceType": "system",
         "status": "InService", "ageSeconds": 180000, "costUsd": 0.0},
        {"appType": "KernelGateway", "appName": "gpu-kernel", "userProfileName": "alice",
         "instanceType": "ml.g4dn.xlarge", "status": "InService", "ageSeconds": 36000, "costUsd": 7.364},
        {"appType": "KernelGateway", "appName": "odd", "userProfileName": "alice", "instanceType": "ml.zz9.huge",
         "status": "Deleting", "ageSeconds": 60}], "totalCostUsd": 7.364, "unpricedApps": 1})

    code, out, err = run("studio", "status")

    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["APP", "NAME", "WHERE", "INSTANCE", "STATUS", "AGE", "COST"]
    assert lines[1].split() == ["JupyterServer", "default", "profile", "alice", "system", "InService", "2d2h", "$0.00"]
    assert lines[2].split()[-2:] == ["10h00m", "$7.36"]
    assert lines[3].split()[-1] == "unknown"
    assert lines[4] == "3 apps, 2 running; about $7.36 so far (1 of unknown price)"
    assert api.requests[0].method == "GET" and api.requests[0].path == "/v1/studio/apps"


def test_status_all_for_admins_and_json_as_the_api_gave_it(run, api):
    answer = {"apps": [{"appType": "KernelGateway", "appName": "k", "userProfileName": "bob", "status": "InService",
                        "ageSeconds": 5, "costUsd": 0.01, "owner": {"domainId": "d-sandbox0001",
                                                                     "userProfileName": "bob"}}],
              "totalCostUsd": 0.01, "unpricedApps": 0}
    api.answer(200, answer)
    api.answer(200, answer)

    code, out, _ = run("studio", "status", "--all")
    assert code == 0
    assert out.splitlines()[1].split()[-1] == "d-sandbox0001/bob"
    assert api.requests[0].path == "/v1/studio/apps?all=true"

    code, out, _ = run("studio", "status", "--json")
    assert json.loads(out) == answer


def test_spaces_list_and_create(run, api):
    api.answer(200, {"spaces": [{"name": "alice-lab", "sharing": "Private", "owner": "alice", "mine": True,
                                 "status": "InService", "app": "JupyterLab",
                                 "apps": [{"appType": "JupyterLab", "appName": "default", "status": "InService"}]}]})
    api.answer(201, {"name": "shared-work", "sharing": "Shared", "owner": "alice", "mine": True, "status": "Pending",
                     "apps": []})

    code, out, _ = run("studio", "spaces", "list")
    assert code == 0
    assert out.splitlines()[1].split() == ["alice-lab", "Private", "alice", "InService", "JupyterLab", "JupyterLab",
                                           "default"]

    code, out, _ = run("studio", "spaces", "create", "shared-work", "--shared", "--app", "codeeditor")
    assert code == 0
    request = mutating(api.requests[1])
    assert (request.method, request.path) == ("POST", "/v1/studio/spaces")
    assert request.json() == {"name": "shared-work", "shared": True, "app": "codeeditor"}
    assert out == "created shared space shared-work; open it with 'sdocker studio up --space shared-work'\n"


def test_spaces_delete_asks_again_until_its_apps_are_gone(run, api, monkeypatch):
    monkeypatch.setattr(studio, "POLL_SECONDS", 0)
    going = {"space": "alice-lab", "status": "DeletingApps", "appsGoing": [{"appType": "JupyterLab", "appName": "default"}]}
    api.answer(202, going).answer(202, going).answer(202, {"space": "alice-lab", "status": "Deleting", "appsGoing": []})

    code, out, err = run("studio", "spaces", "delete", "alice-lab")

    assert code == 0, err
    assert out == "space alice-lab is being deleted\n"
    assert err.count("deleting the apps of alice-lab first: JupyterLab default") == 1
    assert [r.method + " " + r.path for r in api.requests] == ["DELETE /v1/studio/spaces/alice-lab"] * 3
    keys = {mutating(r).headers["Idempotency-Key"] for r in api.requests}
    assert len(keys) == 3, "each ask is a request of its own"


def test_studio_is_listed_in_the_help(sdocker):
    code, out, _ = sdocker("--help")
    assert code == 0
    assert "studio" in out
    code, out, _ = sdocker("studio", "--help")
    assert code == 0
    for command in ("up", "down", "status", "spaces"):
        assert command in out

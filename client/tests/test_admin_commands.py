"""`sdocker admin report` against the API played by a local server."""
import json

import pytest

REPORT = {"summary": "Studio Control Plane: what runs at 2025-02-01T04:00:00Z in d-abc\n"
                     "USER     APPS  HOSTS\nd-abc/bob  2     1\n",
          "report": {"totals": {"apps": 2, "hosts": 1, "costSoFarUsd": 8.38}, "users": [{"owner": "d-abc/bob"}]}}


@pytest.fixture
def run(sdocker, api):
    def with_api(*args):
        return sdocker("--endpoint", api.endpoint, "--region", "us-east-1", *args)
    return with_api


def test_report_prints_the_summary_table(run, api):
    api.answer(200, REPORT)
    code, out, err = run("admin", "report")
    assert code == 0, err
    assert out == REPORT["summary"]
    [request] = api.requests
    assert (request.method, request.path) == ("GET", "/v1/admin/report")


def test_report_json_prints_the_structured_report_alone(run, api):
    api.answer(200, REPORT)
    code, out, err = run("--json", "admin", "report")
    assert code == 0, err
    assert json.loads(out) == REPORT["report"]


def test_a_non_admin_is_refused_in_one_line(run, api):
    api.answer(403, {"error": "Forbidden", "message": "only admins (AdminPrincipals) may read the admin report"})
    code, out, err = run("admin", "report")
    assert (code, out) == (1, "")
    assert err == "sdocker: only admins (AdminPrincipals) may read the admin report (403 Forbidden)\n"

"""The police in the sandbox: the seed's long-running apps produce reminder mail (sent through moto's SES,
kept whole by the sandbox: plain text and HTML)."""
import json
import urllib.error
import urllib.request

import pytest


def post(sandbox, body=b""):
    root = sandbox.ready["api"].rsplit("/", 1)[0]
    request = urllib.request.Request(root + "/_sandbox/police", data=body, method="POST")
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def mail(sandbox):
    root = sandbox.ready["api"].rsplit("/", 1)[0]
    with urllib.request.urlopen(root + "/_sandbox/mail", timeout=60) as response:
        return json.loads(response.read())


def test_a_dry_run_shows_the_plan_and_sends_nothing(sandbox):
    before = len(mail(sandbox))
    plan = post(sandbox, b'{"dryRun": true}')
    assert plan["dryRun"] is True
    owners = {item.get("owner") for item in plan["items"]}
    assert "d-sandbox0001/alice" in owners and "d-sandbox0001/carol-smith" in owners
    assert {d["outcome"] for d in plan["deliveries"]} == {"PLANNED"}
    assert len(mail(sandbox)) == before


def test_a_run_reminds_each_owner_once(sandbox):
    report = post(sandbox)
    assert report["actions"].get("REMIND", 0) >= 4, report["actions"]
    sent = mail(sandbox)
    alice = [m for m in sent if "alice@example.com" in m["to"]]
    assert len(alice) == 1
    for part in ("text", "html"):
        assert "pytorch-2-1-gpu-ml-g4dn-xlarge-4f1b" in alice[0][part], part
        assert "ml.g4dn.xlarge" in alice[0][part] and "1 day 6 hours" in alice[0][part], part
    assert any("carol.smith@example.com" in m["to"] for m in sent), "carol's address comes from the pattern"
    assert any("platform-team@example.com" in m["to"] and "team-space" in m["text"] for m in sent), \
        "the shared space's reminder goes to the admins"

    again = post(sandbox)
    assert len(mail(sandbox)) == len(sent), "a second run within the interval sends nothing"
    assert again["actions"].get("REMIND", 0) == 0


def test_the_mail_keeps_the_plain_text_and_the_html(sandbox):
    post(sandbox)
    sent = mail(sandbox)
    assert sent, "the seed's long-running apps make the police write"
    for message in sent:
        assert message["from"] and message["subject"] and message["to"]
        assert message["text"] and message["html"], "both parts of %s" % message["subject"]
        assert "<table" not in message["text"] and "<table" in message["html"], "the text part is not the HTML"


def test_a_wrong_event_is_a_clear_400(sandbox):
    with pytest.raises(urllib.error.HTTPError) as refused:
        post(sandbox, b'{"dryrun": true}')
    assert refused.value.code == 400
    assert "unknown field 'dryrun'" in json.loads(refused.value.read())["message"]

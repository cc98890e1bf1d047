"""Signing, HTTP, idempotency keys, retries, credentials and how the API's answers become exit codes."""
import json
import re
import urllib.request
import uuid

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from studiocp_client.api import Api
from studiocp_client.errors import CommandError, api_error

KEY, SECRET = "AKIATESTTESTTESTTEST", "test-secret"


def client(fake, identity=("d-sandbox0001", "alice"), profile=None):
    return Api(fake.endpoint, "us-east-1", identity, profile=profile, backoff_seconds=0)


def signature_of(received, endpoint, secret=SECRET, body=None, key=KEY, token=None):
    """The SigV4 signature the gateway computes for what it received (its signed headers, its body)."""
    authorization = received.headers["Authorization"]
    signed = re.search(r"SignedHeaders=([^,]+)", authorization).group(1).split(";")
    lowered = {name.lower(): value for name, value in received.headers.items()}
    url = endpoint.split("/v1")[0] + received.path
    request = AWSRequest(method=received.method, url=url, data=received.body if body is None else body,
                         headers={name: lowered[name] for name in signed})
    request.context["timestamp"] = lowered["x-amz-date"]
    signer = SigV4Auth(Credentials(key, secret, token), "execute-api", "us-east-1")
    return signer.signature(signer.string_to_sign(request, signer.canonical_request(request)), request)


def test_each_call_is_signed_for_execute_api_over_its_body_and_identity(home, api):
    api.answer(202, {"hostId": "h-1", "state": "PROVISIONING"})
    assert client(api).call("POST", "/hosts", body={"instanceType": "m5.large"}) == {
        "hostId": "h-1", "state": "PROVISIONING"}
    received = api.requests[0]
    authorization = received.headers["Authorization"]
    assert authorization.startswith("AWS4-HMAC-SHA256 Credential=%s/" % KEY)
    assert "/us-east-1/execute-api/aws4_request" in authorization
    signed = re.search(r"SignedHeaders=([^,]+)", authorization).group(1).split(";")
    for header in ("host", "x-amz-date", "idempotency-key", "x-studio-domain-id", "x-studio-user-profile",
                   "content-type"):
        assert header in signed
    signature = re.search(r"Signature=(\w+)", authorization).group(1)
    assert signature == signature_of(received, api.endpoint)
    assert signature != signature_of(received, api.endpoint, body=b'{"instanceType": "p4d.24xlarge"}'), \
        "a body swapped after signing does not verify"
    assert signature != signature_of(received, api.endpoint, secret="another-secret")
    assert received.json() == {"instanceType": "m5.large"}
    assert received.headers["X-Studio-Domain-Id"] == "d-sandbox0001"
    assert received.headers["X-Studio-User-Profile"] == "alice"
    assert received.headers["User-Agent"] == "sdocker/1.0"


def test_queries_are_signed_and_sent(home, api):
    api.answer(200, {"hosts": []})
    client(api, identity=None).call("GET", "/hosts", query={"owner": "d-1/bob", "all": "true"})
    received = api.requests[0]
    assert received.path == "/v1/hosts?owner=d-1%2Fbob&all=true"
    assert "X-Studio-Domain-Id" not in received.headers, "no identity, no claim"
    assert re.search(r"Signature=(\w+)", received.headers["Authorization"]).group(1) == \
        signature_of(received, api.endpoint)


def test_every_mutating_call_carries_a_fresh_idempotency_key_and_reads_none(home, api):
    for _ in range(4):
        api.answer(200, {})
    calls = client(api)
    calls.call("POST", "/hosts", body={"instanceType": "m5.large"})
    calls.call("POST", "/hosts", body={"instanceType": "m5.large"})
    calls.call("DELETE", "/hosts/h-1")
    calls.call("GET", "/hosts/h-1")
    keys = [r.headers.get("Idempotency-Key") for r in api.requests]
    assert all(str(uuid.UUID(k)) == k for k in keys[:3]), "a UUID on every POST and DELETE"
    assert len(set(keys[:3])) == 3, "one key per logical request"
    assert keys[3] is None, "a read is not keyed"


def test_a_retry_is_the_same_request_with_the_same_key(home, api):
    api.answer(503, {"message": "Service Unavailable"}).answer(429, {"message": "Too Many Requests"})
    api.answer(202, {"hostId": "h-1"})
    assert client(api).call("POST", "/hosts", body={"instanceType": "m5.large"}) == {"hostId": "h-1"}
    assert len(api.requests) == 3
    assert len({r.headers["Idempotency-Key"] for r in api.requests}) == 1
    assert all(r.body == api.requests[0].body for r in api.requests)


def test_a_caller_may_name_the_key(home, api):
    api.answer(202, {})
    client(api).call("POST", "/hosts", body={}, idempotency_key="retry-of-yesterday")
    assert api.requests[0].headers["Idempotency-Key"] == "retry-of-yesterday"


def test_a_refusal_is_not_retried_and_becomes_exit_1(home, api):
    api.answer(400, {"error": "ValidationError", "message": "instanceType: p4d.24xlarge is not allowed here"})
    with pytest.raises(CommandError) as e:
        client(api).call("POST", "/hosts", body={"instanceType": "p4d.24xlarge"})
    assert str(e.value) == "instanceType: p4d.24xlarge is not allowed here (400 ValidationError)"
    assert e.value.code == 1
    assert len(api.requests) == 1


def test_a_call_without_a_studio_user_that_needs_one_names_the_options_not_the_headers(home, api):
    api.answer(400, {"error": "MissingHeader",
                     "message": "send X-Studio-Domain-Id and X-Studio-User-Profile to list your hosts"})
    with pytest.raises(CommandError) as e:
        client(api, identity=None).call("GET", "/hosts")
    assert "pass --domain-id and --user-profile" in str(e.value)
    assert "X-Studio" not in str(e.value)
    assert e.value.code == 2, "a configuration error"
    api.answer(400, {"error": "MissingHeader", "message": "send X-Studio-Domain-Id"})
    with pytest.raises(CommandError) as e:
        client(api).call("GET", "/hosts")
    assert e.value.code == 1, "with a user named, the API's own words stand"


def test_an_api_that_keeps_failing_is_exit_3_after_three_attempts(home, api):
    for _ in range(3):
        api.answer(502, "Bad Gateway")
    with pytest.raises(CommandError) as e:
        client(api).call("GET", "/hosts")
    assert (str(e.value), e.value.code) == ("Bad Gateway (502)", 3)
    assert len(api.requests) == 3


def test_an_answer_that_is_not_json_is_exit_3(home, api):
    api.answer(200, "<html>a proxy page</html>")
    with pytest.raises(CommandError) as e:
        client(api).call("GET", "/hosts")
    assert e.value.code == 3 and "not JSON: <html>a proxy page</html>" in str(e.value)


def test_api_errors_become_one_readable_line():
    error = api_error(400, json.dumps({"error": "ValidationError", "message": "volumeGiB: must be from 30"}))
    assert str(error) == "volumeGiB: must be from 30 (400 ValidationError)"
    assert error.code == 1
    gateway = api_error(403, json.dumps({"message": "Missing Authentication Token"}))
    assert str(gateway) == "Missing Authentication Token (403)"
    assert api_error(502, "Bad Gateway").code == 3
    assert str(api_error(404, "[]")) == "[] (404)"


def laptop(home, monkeypatch):
    """A laptop's ~/.aws: a key profile and an SSO profile nobody has logged in to."""
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    (home / ".aws").mkdir()
    (home / ".aws" / "credentials").write_text(
        "[work]\naws_access_key_id = AKIALAPTOPLAPTOP0001\naws_secret_access_key = laptop-secret\n")
    (home / ".aws" / "config").write_text(
        "[profile corp-sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n")


def test_a_laptop_signs_with_its_profile(home, api, monkeypatch):
    laptop(home, monkeypatch)
    api.answer(200, {"hosts": []}).answer(200, {"hosts": []})
    client(api, profile="work").call("GET", "/hosts")
    assert "Credential=AKIALAPTOPLAPTOP0001/" in api.requests[0].headers["Authorization"]
    monkeypatch.setenv("AWS_PROFILE", "work")
    client(api).call("GET", "/hosts")
    assert "Credential=AKIALAPTOPLAPTOP0001/" in api.requests[1].headers["Authorization"]


@pytest.mark.parametrize("profile, message", [
    ("corp-sso", "Error loading SSO Token: Token for corp does not exist; run 'aws sso login --profile corp-sso'"),
    ("nope", "cannot get AWS credentials: The config profile (nope) could not be found"),
    (None, "no AWS credentials: in Studio they come from the execution role; elsewhere configure a profile "
           "or AWS_ACCESS_KEY_ID"),
])
def test_missing_credentials_are_one_line_naming_the_fix_and_nothing_is_sent(home, api, monkeypatch, profile,
                                                                             message):
    laptop(home, monkeypatch)
    with pytest.raises(CommandError) as e:
        client(api, profile=profile).call("GET", "/hosts")
    assert (str(e.value), e.value.code) == (message, 2)
    assert api.requests == []


def container_uri(endpoint):
    """The role's path on a loopback stand-in for the container credentials endpoint (FakeApi)."""
    return endpoint.endpoint.replace("/v1", "/v2/credentials/role-1")


@pytest.fixture
def container(home, monkeypatch, new_fake_api):
    """The container credentials endpoint a Studio app's role is served from, on the loopback."""
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    endpoint = new_fake_api()
    endpoint.answer(200, {"AccessKeyId": "ASIASTUDIOROLE000001", "SecretAccessKey": "role-secret",
                          "Token": "role-session-token", "Expiration": "2099-01-01T00:00:00Z"})
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", container_uri(endpoint))
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth")
    return endpoint


def test_in_studio_the_role_from_the_container_endpoint_signs_once_read(home, api, container):
    api.answer(200, {"hosts": []}).answer(200, {"hosts": []})
    calls = client(api)
    calls.call("GET", "/hosts")
    calls.call("GET", "/hosts")
    received = api.requests[0]
    assert "Credential=ASIASTUDIOROLE000001/" in received.headers["Authorization"]
    assert received.headers["X-Amz-Security-Token"] == "role-session-token"
    assert re.search(r"Signature=(\w+)", received.headers["Authorization"]).group(1) == signature_of(
        received, api.endpoint, key="ASIASTUDIOROLE000001", secret="role-secret", token="role-session-token")
    assert [(r.path, r.headers.get("Authorization")) for r in container.requests] == [
        ("/v2/credentials/role-1", "container-auth")], "read once for the run"


def test_files_that_botocore_reads_first_come_before_the_container_endpoint(home, api, container):
    (home / ".aws").mkdir()
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIALAPTOPLAPTOP0001\naws_secret_access_key = laptop-secret\n")
    api.answer(200, {"hosts": []})
    client(api).call("GET", "/hosts")
    assert "Credential=AKIALAPTOPLAPTOP0001/" in api.requests[0].headers["Authorization"]
    assert container.requests == []


def test_an_endpoint_that_does_not_answer_credentials_is_one_line_and_nothing_is_sent(home, api, monkeypatch,
                                                                                     new_fake_api):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    broken = new_fake_api().answer(404, {"message": "role not found"})
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", container_uri(broken))
    with pytest.raises(CommandError) as e:
        client(api).call("GET", "/hosts")
    assert str(e.value).startswith("cannot get AWS credentials from the container's endpoint %s: "
                                   % container_uri(broken))
    assert e.value.code == 2
    assert api.requests == []


def test_a_named_profile_wins_over_the_environment(home, api, monkeypatch):
    laptop(home, monkeypatch)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "environment-secret")
    api.answer(200, {"hosts": []}).answer(200, {"hosts": []})
    client(api, profile="work").call("GET", "/hosts")
    client(api).call("GET", "/hosts")
    assert "Credential=AKIALAPTOPLAPTOP0001/" in api.requests[0].headers["Authorization"]
    assert "Credential=AKIAENVIRONMENT00001/" in api.requests[1].headers["Authorization"]


@pytest.mark.parametrize("url, host", [
    ("https://abc.execute-api.us-east-1.amazonaws.com/v1/hosts/h-1?waitSeconds=10",
     "abc.execute-api.us-east-1.amazonaws.com"),
    ("https://abc.execute-api.us-east-1.amazonaws.com:443/v1/hosts", "abc.execute-api.us-east-1.amazonaws.com"),
    ("http://127.0.0.1:8080/v1/hosts?owner=d-1%2Fbob%20x&all=true&a-b=2&a=", "127.0.0.1:8080"),
    ("http://[::1]:8080/v1/admin/report", "[::1]:8080"),
    ("https://ABC.execute-api.us-east-1.amazonaws.com/v1/hosts/../hosts/./h-1//x/",
     "abc.execute-api.us-east-1.amazonaws.com"),
])
def test_the_signature_is_botocores(url, host):
    """The standard library's signature and botocore's, for the same request at the same instant."""
    import datetime

    from studiocp_client.signing import Credentials as Keys, sign

    now = datetime.datetime(2026, 12, 7, 22, 30, 5, tzinfo=datetime.timezone.utc)
    headers = {"Accept": "application/json", "User-Agent": "sdocker/1.0", "Content-Type": "application/json",
               "X-Studio-Domain-Id": "d-1", "Idempotency-Key": "  spaced   key "}
    body = b'{"instanceType": "m5.large"}'
    ours = sign("POST", url, headers, body, Keys(KEY, SECRET, "a-token"), "eu-west-1", now=now)
    request = AWSRequest(method="POST", url=url, data=body, headers=dict(headers))
    request.context["timestamp"] = "20261207T223005Z"
    request.headers["X-Amz-Date"] = "20261207T223005Z"
    request.headers["X-Amz-Security-Token"] = "a-token"
    signer = SigV4Auth(Credentials(KEY, SECRET, "a-token"), "execute-api", "eu-west-1")
    expected = signer.signature(signer.string_to_sign(request, signer.canonical_request(request)), request)
    assert ours["Authorization"].endswith("Signature=" + expected)
    assert ours["Host"] == host, "the Host header is sent as it was signed"
    assert "SignedHeaders=accept;content-type;host;idempotency-key;x-amz-date;x-amz-security-token;" \
           "x-studio-domain-id," in ours["Authorization"]


def test_the_container_endpoint_is_read_directly_once_more_after_a_failure_and_never_redirected(home, api,
                                                                                              monkeypatch,
                                                                                              new_fake_api):
    """As botocore reads it: no proxy (the role's keys go nowhere else), a 5xx tried again, a 3xx not followed."""
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    # A proxy where nothing listens, for every host but the API's (urllib reads these when it builds an opener).
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1")
    monkeypatch.setattr(urllib.request, "_opener", None)
    endpoint = new_fake_api().answer(500, {"message": "busy"}).answer(200, {
        "AccessKeyId": "ASIASTUDIOROLE000001", "SecretAccessKey": "role-secret", "Token": "t"})
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", container_uri(endpoint).replace("127.0.0.1", "localhost"))
    api.answer(200, {"hosts": []})
    client(api).call("GET", "/hosts")
    assert len(endpoint.requests) == 2, "tried again after the 500"
    assert "Credential=ASIASTUDIOROLE000001/" in api.requests[0].headers["Authorization"]
    endpoint.answer(302, {"message": "elsewhere"})
    with pytest.raises(CommandError) as e:
        client(api).call("GET", "/hosts")
    assert "container's endpoint" in str(e.value) and e.value.code == 2
    assert len(endpoint.requests) == 3, "a redirect is not followed, nor tried again"

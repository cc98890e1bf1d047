"""The API's contract at the sandbox's front door, over raw HTTP signed as sdocker signs: everything a
caller can get wrong, at the gateway or in the function, is refused with {"error", "message"} JSON
naming what to change, and creates nothing."""
import hashlib
import http.client
import json
import urllib.parse

import pytest

BODY = '{"instanceType": "m5.large"}'


def signed(sandbox, method, path, body=None, content_type="application/json", key="e2e-contract-1",
           content_hash=False):
    """Headers for a call as alice, signed with SigV4 for execute-api (botocore, as the client)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    env = sandbox.env("alice")
    headers = {}
    if body is not None and content_type:
        headers["Content-Type"] = content_type
    if key:
        headers["Idempotency-Key"] = key
    if content_hash:
        headers["X-Amz-Content-SHA256"] = hashlib.sha256((body or "").encode()).hexdigest()
    request = AWSRequest(method=method, url=env["SDOCKER_ENDPOINT"] + path, data=body, headers=headers)
    SigV4Auth(Credentials(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]), "execute-api",
              env["AWS_REGION"]).add_auth(request)
    return dict(request.headers.items())


def send(sandbox, method, path, headers=None, body=None):
    """The answer to a request sent as written, the target included (no client re-encodes it)."""
    endpoint = urllib.parse.urlsplit(sandbox.ready["api"])
    connection = http.client.HTTPConnection(endpoint.hostname, endpoint.port, timeout=30)
    try:
        connection.putrequest(method, endpoint.path + path, skip_host=True, skip_accept_encoding=True)
        headers = dict(headers or {})
        headers.setdefault("Host", endpoint.netloc)
        for name, value in headers.items():
            connection.putheader(name, value)
        data = body.encode() if body is not None else b""
        connection.putheader("Content-Length", str(len(data)))
        connection.endheaders(data)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), response.read().decode()
    finally:
        connection.close()


def swapped(sandbox):
    headers = signed(sandbox, "POST", "/hosts", BODY, content_hash=True)
    return headers, '{"instanceType": "p4d.24xlarge"}'


CASES = [
    # name, request (sandbox -> method, path, headers, body), status, error, named
    ("an unknown route", lambda s: ("GET", "/nowhere", signed(s, "GET", "/nowhere"), None),
     403, "MissingAuthenticationToken", "POST /hosts"),
    ("a method the route has not", lambda s: ("PUT", "/hosts", signed(s, "PUT", "/hosts", BODY), BODY),
     403, "MissingAuthenticationToken", "no such route"),
    ("unsigned", lambda s: ("GET", "/hosts", {}, None), 403, "MissingAuthenticationToken", "not signed"),
    ("a malformed escape in the path", lambda s: ("GET", "/hosts/%zz", {}, None),
     400, "BAD_REQUEST_PARAMETERS", "'%zz'"),
    ("a body swapped after signing", lambda s: ("POST", "/hosts") + swapped(s),
     403, "InvalidSignature", "X-Amz-Content-SHA256"),
    ("a key given twice", lambda s: ("POST", "/hosts", signed(
        s, "POST", "/hosts", '{"instanceType": "bogus", "instanceType": "m5.large"}'),
        '{"instanceType": "bogus", "instanceType": "m5.large"}'), 400, "DuplicateField", '"instanceType"'),
    ("trailing garbage", lambda s: ("POST", "/hosts", signed(s, "POST", "/hosts", BODY + " garbage"),
                                    BODY + " garbage"), 400, "InvalidJson", "exactly one document"),
    ("two documents", lambda s: ("POST", "/hosts", signed(s, "POST", "/hosts", BODY + BODY), BODY + BODY),
     400, "InvalidJson", "exactly one document"),
    ("a body sent as text", lambda s: ("POST", "/hosts", signed(s, "POST", "/hosts", BODY, "text/plain"), BODY),
     415, "UnsupportedMediaType", "text/plain"),
    ("a body without a Content-Type", lambda s: ("POST", "/hosts", signed(s, "POST", "/hosts", BODY, None), BODY),
     415, "UnsupportedMediaType", "no Content-Type"),
    ("a POST without an Idempotency-Key", lambda s: ("POST", "/hosts", signed(s, "POST", "/hosts", BODY, key=None),
                                                     BODY), 400, "MissingHeader", "Idempotency-Key"),
    ("a wait of 0 s", lambda s: ("GET", "/hosts/h-0000000000000000?waitSeconds=0", signed(
        s, "GET", "/hosts/h-0000000000000000?waitSeconds=0", key=None), None),
     400, "ValidationError", "waitSeconds: must be a whole number of seconds from 1 to 20, got '0'"),
    ("a wait of 21 s", lambda s: ("GET", "/hosts/h-0000000000000000?waitSeconds=21", signed(
        s, "GET", "/hosts/h-0000000000000000?waitSeconds=21", key=None), None),
     400, "ValidationError", "from 1 to 20, got '21'"),
    ("a DELETE without an Idempotency-Key", lambda s: (
        "DELETE", "/hosts/h-0000000000000000", signed(s, "DELETE", "/hosts/h-0000000000000000", key=None), None),
     400, "MissingHeader", "Idempotency-Key"),
]


def hosts_of(sandbox, user):
    listed = sandbox.sdocker(user, "--json", "list-hosts")
    assert listed.returncode == 0, listed.stderr
    return sorted(host["hostId"] for host in json.loads(listed.stdout))


@pytest.fixture(scope="module")
def alice_hosts_before(sandbox):
    return hosts_of(sandbox, "alice")


@pytest.mark.parametrize("name,request_of,status,error,named", CASES, ids=[c[0] for c in CASES])
def test_a_bad_request_is_refused_in_the_apis_error_shape(sandbox, alice_hosts_before, name, request_of, status,
                                                          error, named):
    method, path, headers, body = request_of(sandbox)
    got, content_type, text = send(sandbox, method, path, headers, body)
    assert got == status, text
    assert content_type.startswith("application/json"), content_type
    answer = json.loads(text)
    assert sorted(answer) == ["error", "message"], text
    assert answer["error"] == error, text
    assert named in answer["message"], text
    assert hosts_of(sandbox, "alice") == alice_hosts_before, "a refused request creates nothing"


STUDIO_ALICE = {"X-Studio-Domain-Id": "d-sandbox0001", "X-Studio-User-Profile": "alice"}


def test_a_long_poll_answers_when_the_new_host_is_ready(sandbox):
    """GET /hosts/{id}?waitSeconds=20 right after POST /hosts: the call returns once the host left
    PROVISIONING, READY, in the plain describe's shape (a loaded machine may need a second call)."""
    key = "e2e-long-poll-1"
    status, _, text = send(sandbox, "POST", "/hosts", dict(signed(sandbox, "POST", "/hosts", BODY, key=key),
                                                           **STUDIO_ALICE), BODY)
    assert status == 202, text
    host_id = json.loads(text)["hostId"]
    try:
        path = "/hosts/%s?waitSeconds=20" % host_id
        calls = 0
        host = {"state": "PROVISIONING"}
        while host["state"] == "PROVISIONING" and calls < 3:
            status, _, text = send(sandbox, "GET", path, dict(signed(sandbox, "GET", path, key=None), **STUDIO_ALICE))
            assert status == 200, text
            host = json.loads(text)
            calls += 1
        assert host["state"] == "READY", text
        assert host["hostId"] == host_id and host["dockerEndpoint"].startswith("tcp://"), text
        status, _, plain = send(sandbox, "GET", "/hosts/" + host_id,
                                dict(signed(sandbox, "GET", "/hosts/" + host_id, key=None), **STUDIO_ALICE))
        assert sorted(json.loads(plain)) == sorted(host), "the same fields as a plain describe"
    finally:
        path = "/hosts/" + host_id
        send(sandbox, "DELETE", path, dict(signed(sandbox, "DELETE", path, key=key + "-end"), **STUDIO_ALICE))

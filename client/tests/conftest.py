"""The client package under test (client/src), a clean home for each test, and a small local HTTP
server that plays the control plane's API."""
import http.server
import json
import os
import sys
import threading

import pytest

CLIENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(CLIENT, "src"))

from studiocp_client import cli  # noqa: E402


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A clean HOME and environment, so the user's own config never leaks into a test."""
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("SDOCKER_ENDPOINT", "SDOCKER_METADATA_FILE", "AWS_REGION", "AWS_DEFAULT_REGION", "DOCKER_HOST",
                 "DOCKER_CONTEXT", "DOCKER_CONFIG", "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE",
                 "AWS_SHARED_CREDENTIALS_FILE", "SDOCKER_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTTESTTESTTEST")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return tmp_path


@pytest.fixture
def sdocker(home, capsys):
    """Runs the command line in this process as a user would: (exit code, stdout, stderr)."""
    def run(*args):
        code = cli.entry(list(args))
        out, err = capsys.readouterr()
        return code, out, err
    return run


@pytest.fixture
def metadata(home):
    path = home / "resource-metadata.json"
    path.write_text(json.dumps({"DomainId": "d-sandbox0001", "UserProfileName": "alice"}))
    return path


class Received:
    def __init__(self, method, path, headers, body):
        self.method, self.path, self.headers, self.body = method, path, headers, body

    def json(self):
        return json.loads(self.body)


class FakeApi:
    """The API as a loopback HTTP server: it answers with what the test scripted, in order, and
    records every request as it arrived (method, path with query, headers, body bytes)."""

    def __init__(self):
        self.answers = []
        self.requests = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def handle_one(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fake.requests.append(Received(self.command, self.path, dict(self.headers.items()), body))
                status, answer = fake.answers.pop(0) if fake.answers else (
                    500, {"error": "Unscripted", "message": "the test scripted no answer"})
                data = (answer if isinstance(answer, str) else json.dumps(answer)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = handle_one

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def endpoint(self):
        return "http://127.0.0.1:%d/v1" % self.server.server_address[1]

    def answer(self, status, body):
        self.answers.append((status, body))
        return self

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)


@pytest.fixture
def api():
    fake = FakeApi()
    yield fake
    fake.close()


@pytest.fixture
def new_fake_api():
    """Makes more FakeApi servers (a container credentials endpoint, say); each is closed after the test."""
    made = []

    def make():
        made.append(FakeApi())
        return made[-1]

    yield make
    for fake in made:
        fake.close()

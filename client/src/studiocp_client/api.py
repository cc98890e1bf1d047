"""The control plane's API: every call signed with SigV4 for execute-api, retried when it is safe.

This is the one place requests are made. A mutating call (POST, DELETE) carries an
Idempotency-Key: fresh for each logical request, the same on each of its retries, so a retried
or replayed request is the same request to the API and never does the thing twice.
"""
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from . import PROGRAM, VERSION
from .config import SpaceClaim
from .credentials import CredentialSource
from .errors import EXIT_UNREACHABLE, EXIT_USAGE, CommandError, api_error
from .log import log
from .signing import sign

MUTATING = ("POST", "PUT", "PATCH", "DELETE")

# What a command that acts for a Studio user says when it does not know which (the API asks for headers).
NO_IDENTITY = ("this needs your Studio user: run sdocker in Studio (it reads the app's metadata), or pass "
               "--domain-id and --user-profile (on a laptop, put \"domainId\" and \"userProfile\" in "
               "~/.sdocker/config.json)")


class Api:
    def __init__(self, endpoint, region, identity, profile=None, attempts=3, backoff_seconds=0.5):
        self.endpoint = endpoint
        self.region = region
        self.identity = identity
        self.profile = profile
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self._credentials = CredentialSource(profile)

    def credentials(self):
        """The caller's AWS credentials, found where botocore would find them (see credentials.py)."""
        return self._credentials.get()

    def call(self, method, path, body=None, query=None, idempotency_key=None):
        """The API's JSON answer to one logical request; a refusal or an outage as a CommandError."""
        url = self.endpoint + path
        if query:
            # Encoded as SigV4 canonicalises it (a space is %20, not +): what is signed is what is sent.
            url += "?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote)
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Accept": "application/json", "User-Agent": "%s/%s" % (PROGRAM, VERSION)}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if isinstance(self.identity, SpaceClaim):
            headers.update(self.identity.headers())
        elif self.identity:
            headers["X-Studio-Domain-Id"], headers["X-Studio-User-Profile"] = self.identity
        if method in MUTATING:
            headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
        for attempt in range(1, self.attempts + 1):
            signed = sign(method, url, headers, data, self.credentials(), self.region)
            http_request = urllib.request.Request(url, data=data, headers=signed, method=method)
            sent = time.time()
            try:
                with urllib.request.urlopen(http_request, timeout=30) as response:
                    text = response.read().decode()
                    log("%s %s -> %s in %d ms (sent at %.3f)" % (method, path, response.status,
                                                                  (time.time() - sent) * 1000, sent))
                    return _json(text)
            except urllib.error.HTTPError as e:
                status, text = e.code, e.read().decode(errors="replace")
                log("%s %s -> %s %s" % (method, path, status, text[:500]))
                if (status >= 500 or status == 429) and attempt < self.attempts:
                    self._back_off(attempt)
                    continue
                refused = api_error(status, text)
                if status == 400 and not self.identity and refused.reason == "MissingHeader":
                    raise CommandError(NO_IDENTITY, EXIT_USAGE)
                raise refused
            except (urllib.error.URLError, OSError) as e:
                reason = getattr(e, "reason", e)
                log("%s %s -> unreachable: %s" % (method, path, reason))
                if attempt < self.attempts:
                    self._back_off(attempt)
                    continue
                raise CommandError("cannot reach the API at %s: %s" % (self.endpoint, reason), EXIT_UNREACHABLE)
        raise CommandError("the API did not answer", EXIT_UNREACHABLE)

    def _back_off(self, attempt):
        time.sleep(self.backoff_seconds * 2 ** attempt)


def _json(text):
    try:
        return json.loads(text) if text else {}
    except ValueError:
        raise CommandError("the API answered with something that is not JSON: %s" % text[:200].strip(),
                           EXIT_UNREACHABLE)

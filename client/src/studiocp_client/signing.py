"""AWS Signature Version 4 for the API's calls (service execute-api), with the standard library.

The same signature botocore's SigV4Auth computes (client/tests hold them equal), without importing
botocore: a run of sdocker in Studio starts a few tenths of a second sooner. Every header the call
sends is signed except User-Agent (a proxy may rewrite it), and the body always is.
"""
import datetime
import hashlib
import hmac
import urllib.parse

ALGORITHM = "AWS4-HMAC-SHA256"
UNSIGNED_HEADERS = ("user-agent", "expect", "x-amzn-trace-id")


class Credentials:
    """An access key, its secret and (for a role's) its session token."""

    def __init__(self, access_key, secret_key, token=None):
        self.access_key = access_key
        self.secret_key = secret_key
        self.token = token


def sign(method, url, headers, body, credentials, region, service="execute-api", now=None):
    """The headers to send: `headers` plus Host, X-Amz-Date, X-Amz-Security-Token and Authorization."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    day = stamp[:8]
    parts = urllib.parse.urlsplit(url)
    signed = dict(headers)
    signed["X-Amz-Date"] = stamp
    if credentials.token:
        signed["X-Amz-Security-Token"] = credentials.token
    # The Host header is sent as signed (urllib would send the URL's as typed: a ':443', capitals).
    signed["Host"] = _host(parts)
    canonical = {}
    for name, value in signed.items():
        if name.lower() not in UNSIGNED_HEADERS:
            canonical[name.lower()] = " ".join(str(value).split())
    names = sorted(canonical)
    request = "\n".join([
        method.upper(),
        urllib.parse.quote(_normalized(parts.path), safe="/~"),
        _canonical_query(parts.query),
        "".join("%s:%s\n" % (name, canonical[name]) for name in names),
        ";".join(names),
        hashlib.sha256(body or b"").hexdigest(),
    ])
    scope = "%s/%s/%s/aws4_request" % (day, region, service)
    to_sign = "\n".join([ALGORITHM, stamp, scope, hashlib.sha256(request.encode()).hexdigest()])
    key = ("AWS4" + credentials.secret_key).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    signed["Authorization"] = "%s Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM, credentials.access_key, scope, ";".join(names), signature)
    return signed


def _normalized(path):
    """The path without empty, '.' and '..' segments, as botocore signs it (RFC 3986's dot-segment removal)."""
    if not path:
        return "/"
    kept = []
    for segment in path.split("/"):
        if segment == "..":
            if kept:
                kept.pop()
        elif segment and segment != ".":
            kept.append(segment)
    return ("/" if path.startswith("/") else "") + "/".join(kept) + ("/" if path.endswith("/") and kept else "")


def _host(parts):
    """The host as signed and sent: lower case, the port only when it is not the scheme's own."""
    default = {"http": 80, "https": 443}.get(parts.scheme)
    host = "[%s]" % parts.hostname if ":" in parts.hostname else parts.hostname
    return host if parts.port in (None, default) else "%s:%d" % (host, parts.port)


def _canonical_query(query):
    """The query's names and values decoded, encoded as SigV4 says (%20 for a space), sorted."""
    encoded = sorted((urllib.parse.quote(name, safe="-_.~"), urllib.parse.quote(value, safe="-_.~"))
                     for name, value in urllib.parse.parse_qsl(query, keep_blank_values=True))
    return "&".join("%s=%s" % pair for pair in encoded)

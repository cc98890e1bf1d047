"""The caller's AWS credentials: where botocore would find them, mostly without botocore.

Two sources need nothing but the standard library, and they are where Studio and the sandbox keep
credentials: the environment's AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and the container
credentials endpoint a Studio app's execution role is served from. They are read only where
botocore's chain would read them first (no profile named; for the container's, no shared
credentials or config file and no web identity that would come before it). Everything else
(profiles, SSO, assumed roles, instance roles) is botocore's, imported only then.
"""
import datetime
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from .errors import EXIT_USAGE, CommandError
from .signing import Credentials

CONTAINER_HOST = "http://169.254.170.2"
# A container endpoint botocore accepts by its full URI: https, or plain http on the loopback.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
REFRESH_BEFORE = datetime.timedelta(minutes=5)
CONTAINER_ATTEMPTS = 3
NONE_FOUND = ("no AWS credentials: in Studio they come from the execution role; elsewhere configure a profile "
              "or AWS_ACCESS_KEY_ID")


class CredentialSource:
    """Finds the credentials once and keeps them (a role's are found again shortly before they expire)."""

    def __init__(self, profile=None):
        self.profile = profile
        self._current = None
        self._expires = None
        self._botocore = None

    def get(self):
        if self._botocore is not None:
            return self._from_botocore()  # botocore refreshes what it found, as it needs
        now = datetime.datetime.now(datetime.timezone.utc)
        if self._current is None or (self._expires is not None and self._expires - now < REFRESH_BEFORE):
            self._current, self._expires = self._find()
        return self._current

    def _find(self):
        if not self.profile:
            environment = self._from_environment()
            if environment:
                return environment, None
            if self._container_comes_first():
                return self._from_container()
        return self._from_botocore(), None

    def _from_environment(self):
        key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
        if key and secret:
            # botocore's order: AWS_SECURITY_TOKEN, then AWS_SESSION_TOKEN.
            return Credentials(key, secret, os.environ.get("AWS_SECURITY_TOKEN") or os.environ.get("AWS_SESSION_TOKEN"))
        return None

    def _container_uri(self):
        relative = os.environ.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        if relative is not None:
            return CONTAINER_HOST + relative
        full = os.environ.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        if full:
            parts = urllib.parse.urlsplit(full)
            if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS):
                return full
        return None

    def _container_comes_first(self):
        """Botocore reads the container's endpoint after the environment, a web identity and the files;
        a token in a file (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) is botocore's to read too."""
        if not self._container_uri() or os.environ.get("AWS_WEB_IDENTITY_TOKEN_FILE") \
                or os.environ.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"):
            return False
        files = [os.environ.get("AWS_SHARED_CREDENTIALS_FILE") or "~/.aws/credentials",
                 os.environ.get("AWS_CONFIG_FILE") or "~/.aws/config", "~/.boto", "/etc/boto.cfg"]
        files += [os.environ[name] for name in ("BOTO_CONFIG", "AWS_CREDENTIAL_FILE") if os.environ.get(name)]
        return not any(os.path.exists(os.path.expanduser(f)) for f in files)

    def _from_container(self):
        uri = self._container_uri()
        headers = {}
        token = os.environ.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        if token:
            headers["Authorization"] = token
        # As botocore reads it: straight to the endpoint (no proxy), no redirect followed (the token
        # goes nowhere else), three attempts.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())
        for attempt in range(1, CONTAINER_ATTEMPTS + 1):
            try:
                with opener.open(urllib.request.Request(uri, headers=headers), timeout=5) as response:
                    answer = json.loads(response.read().decode())
                credentials = Credentials(answer["AccessKeyId"], answer["SecretAccessKey"], answer.get("Token"))
                return credentials, _expiry(answer.get("Expiration"))
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
                refused = isinstance(e, urllib.error.HTTPError) and 300 <= e.code < 500
                if attempt == CONTAINER_ATTEMPTS or refused or not isinstance(e, OSError):
                    raise CommandError("cannot get AWS credentials from the container's endpoint %s: %s"
                                       % (uri, getattr(e, "reason", e)), EXIT_USAGE)
                time.sleep(0.1 * attempt)

    def _from_botocore(self):
        # botocore is imported late: the environment and the container's endpoint need none of it.
        _add_site_packages()
        try:
            import botocore.exceptions
            import botocore.session
        except ImportError:
            raise CommandError("%s needs botocore, which this Python lacks: pip install botocore"
                               % ("the profile '%s'" % self.profile if self.profile else
                                  "finding credentials outside the environment and Studio's role"), EXIT_USAGE)

        try:
            if self._botocore is None:
                self._botocore = botocore.session.Session(profile=self.profile).get_credentials()
                if self._botocore is None:
                    raise CommandError(NONE_FOUND, EXIT_USAGE)
            frozen = self._botocore.get_frozen_credentials()
            return Credentials(frozen.access_key, frozen.secret_key, frozen.token)
        except botocore.exceptions.SSOError as e:
            raise CommandError("%s; run 'aws sso login%s'" % (e, " --profile " + self.profile if self.profile else ""),
                               EXIT_USAGE)
        except botocore.exceptions.BotoCoreError as e:
            raise CommandError("cannot get AWS credentials: %s" % e, EXIT_USAGE)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx is raised as it is


def _add_site_packages():
    """The built file starts Python without site-packages (-S): botocore's are added when it is needed."""
    if sys.flags.no_site and "site" not in sys.modules:
        import site

        site.main()


def _expiry(text):
    if not text:
        return None
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        return None

"""Where the API is, in which region, with which AWS profile, and which Studio user the caller acts as.

Each comes from a flag, else the environment, else ~/.sdocker/config.json (which a Studio
lifecycle configuration writes, or a laptop user by hand). The Studio user comes from the Studio
metadata file where there is one (in Studio), and from the config file on a laptop.
"""
import json
import os
import urllib.parse

from .errors import EXIT_USAGE, CommandError

DEFAULT_METADATA = "/opt/ml/metadata/resource-metadata.json"
CONFIG_FILE = os.path.join("~", ".sdocker", "config.json")
CONFIG_KEYS = ("endpoint", "region", "profile", "domainId", "userProfile")

SOURCES = """The API endpoint comes from --endpoint, else $SDOCKER_ENDPOINT, else "endpoint" in
~/.sdocker/config.json (the stack's ApiUrl output). Your Studio identity comes from
/opt/ml/metadata/resource-metadata.json (or --metadata / $SDOCKER_METADATA_FILE, or
--domain-id and --user-profile, or "domainId" and "userProfile" in the config file); where the
metadata names a space but no user profile (the new Studio), the API takes the space's owner. AWS
credentials are found the usual botocore way (--profile or $AWS_PROFILE, environment, SSO,
the Studio execution role). Logs: ~/.sdocker/sdocker.log."""


def read_config():
    path = os.path.expanduser(CONFIG_FILE)
    if not os.path.exists(path):
        return {}
    try:
        with open(path) as f:
            config = json.load(f)
    except (OSError, ValueError) as e:
        raise CommandError("cannot read %s: %s; fix or remove it" % (path, e), EXIT_USAGE)
    if not isinstance(config, dict):
        raise CommandError("%s must hold a JSON object such as {\"endpoint\": \"https://...\"}" % path, EXIT_USAGE)
    for key in CONFIG_KEYS:
        if key in config and not isinstance(config[key], str):
            raise CommandError("\"%s\" in %s must be a string" % (key, path), EXIT_USAGE)
    return config


def resolve_endpoint(args, config):
    endpoint = args.endpoint or os.environ.get("SDOCKER_ENDPOINT") or config.get("endpoint")
    if not endpoint:
        raise CommandError("no API endpoint: pass --endpoint, set SDOCKER_ENDPOINT, or put "
                           "{\"endpoint\": \"<ApiUrl of the stack>\"} in ~/.sdocker/config.json", EXIT_USAGE)
    parsed = urllib.parse.urlparse(endpoint)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise CommandError("the API endpoint '%s' is not an http(s) URL" % endpoint, EXIT_USAGE)
    return endpoint.rstrip("/")


def resolve_region(args, config, endpoint):
    region = (args.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
              or config.get("region"))
    if region:
        return region
    host = urllib.parse.urlparse(endpoint).hostname or ""
    parts = host.split(".")
    if len(parts) > 3 and parts[1] == "execute-api":
        return parts[2]
    raise CommandError("no AWS region: pass --region or set AWS_REGION", EXIT_USAGE)


def resolve_profile(args, config):
    """The AWS profile to sign with, or None for botocore's default chain (and $AWS_PROFILE)."""
    return args.profile or os.environ.get("AWS_PROFILE") or config.get("profile")


def resolve_identity(args, config, required):
    """The Studio user to act as: (domain id, user profile name), or None.

    Without one, only an admin can do anything (the API says so); some commands always need one.
    In Studio the metadata file names the user; on a laptop the flags or the config file do.
    """
    if args.domain_id or args.user_profile:
        return _both(args.domain_id, args.user_profile, "pass both --domain-id and --user-profile, or neither")
    explicit = args.metadata or os.environ.get("SDOCKER_METADATA_FILE")
    if not explicit and not os.path.exists(DEFAULT_METADATA):
        if config.get("domainId") or config.get("userProfile"):
            return _both(config.get("domainId"), config.get("userProfile"),
                         "put both \"domainId\" and \"userProfile\" in ~/.sdocker/config.json, or neither")
        if not required:
            return None
    path = metadata_path(args)
    try:
        metadata = _read_metadata(path)
    except FileNotFoundError:
        laptop = "" if explicit else "; on a laptop, put \"domainId\" and \"userProfile\" in ~/.sdocker/config.json"
        raise CommandError("no Studio metadata at %s: run sdocker in SageMaker Studio, or pass --metadata "
                           "FILE (or --domain-id and --user-profile)%s" % (path, laptop), EXIT_USAGE)
    except (OSError, ValueError) as e:
        raise CommandError("cannot read the Studio metadata %s: %s" % (path, e), EXIT_USAGE)
    domain, profile = metadata.get("DomainId"), metadata.get("UserProfileName")
    if domain and profile:
        return domain, profile
    space = metadata.get("SpaceName")
    if domain and space:
        # The new Studio (JupyterLab, Code Editor) names the space, not the user: the API takes the
        # space's owner and proves it as it proves a named profile.
        return SpaceClaim(domain, space)
    raise CommandError("%s names no %s: the new Studio's apps leave the user profile out, and this one names no "
                       "space either; pass --domain-id and --user-profile" % (
                           path, "UserProfileName" if domain else "DomainId"), EXIT_USAGE)


class SpaceClaim(tuple):
    """The identity of an app whose metadata names its domain and space but no user profile: the API
    acts as the space's owner once it has proved the caller may (else a 403 naming the flags)."""

    def __new__(cls, domain, space):
        return tuple.__new__(cls, (domain, space))

    @property
    def domain(self):
        return self[0]

    @property
    def space(self):
        return self[1]

    def headers(self):
        return {"X-Studio-Domain-Id": self.domain, "X-Studio-Space-Name": self.space}


def _both(domain, profile, message):
    if not (domain and profile):
        raise CommandError(message, EXIT_USAGE)
    return domain, profile


def metadata_path(args):
    """Where this app's Studio metadata is: --metadata, else $SDOCKER_METADATA_FILE, else Studio's own."""
    return args.metadata or os.environ.get("SDOCKER_METADATA_FILE") or DEFAULT_METADATA


def app_metadata(args):
    """The app's Studio metadata as a dict, or {} where there is none to read (a laptop) or it is not JSON."""
    try:
        return _read_metadata(metadata_path(args))
    except (OSError, ValueError):
        return {}


def _read_metadata(path):
    """The metadata file's JSON object ({} when it holds anything else); raises OSError or ValueError."""
    with open(path) as f:
        metadata = json.load(f)
    return metadata if isinstance(metadata, dict) else {}


def session_space(args):
    """The space this command runs in (the new Studio's JupyterLab or Code Editor), from the metadata
    file, or None: on a laptop, in Studio Classic, or when the file cannot be read."""
    return app_metadata(args).get("SpaceName") or None

"""Docker's context store, written as the docker CLI writes it (`docker context create`, `use`, `rm`):
no docker process is started, so a new host's context is ready the moment its certificates are.

The store (docker CLI 19.03 and later) lives in the CLI's configuration directory ($DOCKER_CONFIG,
else ~/.docker): contexts/meta/<sha256 of the name>/meta.json says where the context points,
contexts/tls/<sha256 of the name>/docker/{ca,cert,key}.pem are copies of its TLS files, and
config.json's currentContext names the current one (absent: "default")."""
import hashlib
import json
import os
import re
import shutil

from .errors import EXIT_DOCKER, CommandError

DEFAULT = "default"
TLS_FILES = ("ca.pem", "cert.pem", "key.pem")
NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$")  # the docker CLI's rule for a context's name


def config_dir():
    return os.environ.get("DOCKER_CONFIG") or os.path.join(os.path.expanduser("~"), ".docker")


def _digest(name):
    return hashlib.sha256(name.encode()).hexdigest()


def _meta_dir(name):
    return os.path.join(config_dir(), "contexts", "meta", _digest(name))


def _tls_dir(name):
    return os.path.join(config_dir(), "contexts", "tls", _digest(name))


def _write_atomically(path, data, mode):
    """Replaces the file in one rename: a reader (docker, another sdocker) sees the old or the new one."""
    temporary = os.path.join(os.path.dirname(path), ".%s.%d.tmp" % (os.path.basename(path), os.getpid()))
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(descriptor, "wb") as f:
            f.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def _store_error(what, error):
    return CommandError("cannot %s in Docker's configuration %s: %s" % (what, config_dir(), error), EXIT_DOCKER)


def write(name, endpoint, description, tls_directory):
    """The context `name` pointing at `endpoint` over mutual TLS with the files of `tls_directory`,
    created or replaced (as `docker context create` or `update` leave it)."""
    if not NAME.match(name) or name == DEFAULT:
        raise CommandError("'%s' cannot name a Docker context (letters, digits and _.+- only)" % name)
    meta = {"Name": name, "Metadata": {"Description": description},
            "Endpoints": {"docker": {"Host": endpoint, "SkipTLSVerify": False}}}
    try:
        files = {}
        for file in TLS_FILES:
            with open(os.path.join(tls_directory, file), "rb") as f:
                files[file] = f.read()
            # What docker context create checks too: a file docker cannot load fails now, not at the next docker command.
            if b"-----BEGIN " not in files[file]:
                raise CommandError("%s is not a PEM file; see %s/bootstrap.log" % (os.path.join(tls_directory, file),
                                                                                tls_directory))
        tls = os.path.join(_tls_dir(name), "docker")
        os.makedirs(tls, mode=0o700, exist_ok=True)
        for level in (os.path.dirname(_tls_dir(name)), _tls_dir(name), tls):
            os.chmod(level, 0o700)  # as docker keeps them: makedirs' mode reaches only the last level
        for file, data in files.items():
            _write_atomically(os.path.join(tls, file), data, 0o600)
        os.makedirs(_meta_dir(name), mode=0o755, exist_ok=True)
        _write_atomically(os.path.join(_meta_dir(name), "meta.json"), json.dumps(meta).encode(), 0o644)
    except OSError as e:
        raise _store_error("write the context '%s'" % name, e)


def remove(name):
    """Removes the context (its metadata and its TLS files, if any); the current one is switched away from first."""
    if name == DEFAULT:
        return
    try:
        current_one = _configured_current()
    except CommandError:
        current_one = None  # config.json unreadable: it names no current context (docker warns and goes on too)
    if current_one == name:
        use(DEFAULT)
    shutil.rmtree(_meta_dir(name), ignore_errors=True)
    shutil.rmtree(_tls_dir(name), ignore_errors=True)


def _config_file():
    return os.path.join(config_dir(), "config.json")


def _read_config():
    try:
        with open(_config_file(), "rb") as f:
            text = f.read()
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise _store_error("read config.json", e)
    if not text.strip():
        return {}
    try:
        config = json.loads(text)
    except ValueError as e:
        raise CommandError("%s is not valid JSON (%s); fix or remove it, then run the command again"
                           % (_config_file(), e), EXIT_DOCKER)
    if not isinstance(config, dict):
        raise CommandError("%s is not a JSON object; fix or remove it, then run the command again" % _config_file(),
                           EXIT_DOCKER)
    return config


def _configured_current():
    return _read_config().get("currentContext") or DEFAULT


def current():
    """The context docker uses now, as the docker CLI decides it: "default" when $DOCKER_HOST is set, else
    $DOCKER_CONTEXT, else config.json's currentContext, else "default"."""
    if os.environ.get("DOCKER_HOST"):
        return DEFAULT
    return os.environ.get("DOCKER_CONTEXT") or _configured_current()


def create_and_use(name, endpoint, description, tls_directory):
    """`write`, then `use`; config.json is read first, so that one it cannot keep stops it before any change."""
    _read_config()
    write(name, endpoint, description, tls_directory)
    use(name)


def use(name):
    """Makes `name` the current context in config.json, keeping everything else in it as it was (read
    right before it is replaced, so that little can come between)."""
    config = _read_config()
    if name == DEFAULT:
        config.pop("currentContext", None)
    else:
        config["currentContext"] = name
    try:
        os.makedirs(config_dir(), mode=0o700, exist_ok=True)
        # A config.json that is a link (to dotfiles, say) stays one: its target is rewritten.
        target = os.path.realpath(_config_file())
        mode = os.stat(target).st_mode & 0o777 if os.path.exists(target) else 0o600
        _write_atomically(target, json.dumps(config, indent="\t").encode(), mode)
    except OSError as e:
        raise _store_error("switch to the context '%s'" % name, e)

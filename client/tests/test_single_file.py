"""What users install: client/build.py makes one executable file that runs anywhere with Python 3.8+
and botocore, from any directory, without this repository."""
import ast
import os
import subprocess
import sys
import zipfile

import botocore
import dateutil
import jmespath
import pytest
import six
import urllib3

CLIENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(CLIENT, "src", "studiocp_client")
# botocore and what it needs to import (pip brings them with it); nothing else is importable below.
BOTOCORE_AND_ITS_DEPENDENCIES = [botocore, dateutil, jmespath, urllib3, six]


def build(output):
    subprocess.run([sys.executable, os.path.join(CLIENT, "build.py"), str(output)], check=True,
                   stdout=subprocess.PIPE, timeout=60)
    return output


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The built file copied where a user would put it, far from the repository."""
    return build(tmp_path_factory.mktemp("bin") / "sdocker")


@pytest.fixture(scope="module")
def only_botocore(tmp_path_factory):
    """A module path with botocore and its dependencies alone."""
    path = tmp_path_factory.mktemp("site")
    for module in BOTOCORE_AND_ITS_DEPENDENCIES:
        source = module.__file__
        if os.path.basename(source) == "__init__.py":
            source = os.path.dirname(source)
        os.symlink(source, path / os.path.basename(source))
    return path


def test_the_build_is_one_executable_file_and_the_same_bytes_every_time(tmp_path):
    first, second = build(tmp_path / "a" / "sdocker"), build(tmp_path / "b" / "sdocker")
    data = first.read_bytes()
    assert data == second.read_bytes(), "deterministic"
    assert data.startswith(b"#!/bin/sh\n")
    assert os.stat(first).st_mode & 0o777 == 0o755
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
    modules = sorted(os.path.relpath(os.path.join(d, f), os.path.dirname(PACKAGE))
                     for d, _, files in os.walk(PACKAGE) for f in files if f.endswith(".py"))
    expected = [name for module in modules for name in (module, module + "c")]
    assert names == ["__main__.py"] + expected, "the package's modules, each compiled beside, nothing else"
    assert "studiocp_client/commands/hosts.py" in names


@pytest.mark.parametrize("module", sorted(
    os.path.relpath(os.path.join(d, f), PACKAGE) for d, _, files in os.walk(PACKAGE) for f in files
    if f.endswith(".py")))
def test_every_module_is_python_3_8(module):
    with open(os.path.join(PACKAGE, module)) as f:
        ast.parse(f.read(), filename=module, feature_version=(3, 8))


def test_it_runs_by_itself_from_any_directory(installed, tmp_path, home):
    env = dict(os.environ, PYTHONPATH="")
    result = subprocess.run([str(installed), "--version"], cwd=str(tmp_path), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, "sdocker 1.0\n"), result.stderr
    result = subprocess.run([str(installed), "--help"], cwd=str(tmp_path), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: sdocker ")
    assert "terminate-current-host" in result.stdout
    result = subprocess.run([str(installed), "create-host"], cwd=str(tmp_path), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == ("sdocker create-host: the following arguments are required: --instance-type "
                             "(see 'sdocker create-host --help')\n"), "one line, no usage block"


def test_a_reader_that_goes_away_ends_it_quietly(installed, tmp_path, home):
    """`sdocker ... | head`: the pipe closes before sdocker writes; no error, no traceback."""
    env = dict(os.environ, PYTHONPATH="")
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run([str(installed), "--help"], cwd=str(tmp_path), env=env, stdout=writer,
                                stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    finally:
        os.close(writer)
    assert (result.returncode, result.stderr) == (0, "")


def test_it_needs_nothing_but_the_standard_library_and_botocore(installed, only_botocore, tmp_path, home, api):
    """`python3 -S` leaves out site-packages; the path holds botocore (and what it imports) alone."""
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "PYTHONPATH": str(only_botocore),
           "AWS_ACCESS_KEY_ID": "AKIATESTTESTTESTTEST", "AWS_SECRET_ACCESS_KEY": "test-secret",
           "AWS_EC2_METADATA_DISABLED": "true", "SDOCKER_ENDPOINT": api.endpoint, "AWS_REGION": "eu-west-1"}

    def python(*args):
        return subprocess.run([sys.executable, "-S", "-s"] + list(args), cwd=str(tmp_path), env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=60)

    isolated = python("-c", "import botocore.auth\ntry:\n import boto3\nexcept ImportError:\n print('isolated')")
    assert isolated.stdout == "isolated\n", "boto3 (and the repository) are out of reach: " + isolated.stderr
    api.answer(200, {"hosts": [{"hostId": "h-0123456789abcdef", "state": "READY", "instanceType": "m5.large",
                                "dockerEndpoint": "tcp://ip-10-0-1-5:1111", "expiresAt": "2025-02-01T04:00:00Z"}]})
    listed = python(str(installed), "list-hosts", "--domain-id", "d-1", "--user-profile", "alice")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[1].endswith("2025-02-01 04:00:00 UTC")
    api.answer(202, {"hostId": "h-0123456789abcdef", "state": "PROVISIONING"})
    created = python(str(installed), "--json", "create-host", "--instance-type", "m5.large", "--no-wait",
                     "--domain-id", "d-1", "--user-profile", "alice")
    assert created.returncode == 0, created.stderr
    listing, creation = api.requests
    assert "/eu-west-1/execute-api/aws4_request" in listing.headers["Authorization"]
    assert creation.method == "POST" and creation.headers["Idempotency-Key"]
    assert creation.headers["X-Studio-User-Profile"] == "alice"
    assert "GET /hosts -> 200" in (home / ".sdocker" / "sdocker.log").read_text()


def test_with_the_environments_or_studios_credentials_it_needs_the_standard_library_alone(installed, tmp_path, home,
                                                                                          api):
    """Nothing but the standard library on the path: the environment's keys sign; a profile names botocore."""
    empty = tmp_path / "nothing"
    (empty / "botocore").mkdir(parents=True)
    # -S alone no longer hides site-packages (sdocker adds them for botocore): a botocore that cannot be imported does.
    (empty / "botocore" / "__init__.py").write_text("raise ImportError('No module named botocore')\n")
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "PYTHONPATH": str(empty),
           "AWS_ACCESS_KEY_ID": "AKIATESTTESTTESTTEST", "AWS_SECRET_ACCESS_KEY": "test-secret",
           "SDOCKER_ENDPOINT": api.endpoint, "AWS_REGION": "eu-west-1"}

    def python(*args, **extra):
        return subprocess.run([sys.executable, "-S", "-s"] + list(args), cwd=str(tmp_path), env=dict(env, **extra),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=60)

    assert python("-c", "import botocore").returncode != 0, "botocore is out of reach"
    api.answer(200, {"hosts": []})
    listed = python(str(installed), "list-hosts", "--domain-id", "d-1", "--user-profile", "alice")
    assert (listed.returncode, listed.stdout, listed.stderr) == (0, "no hosts\n", "")
    assert "Credential=AKIATESTTESTTESTTEST/" in api.requests[0].headers["Authorization"]
    named = python(str(installed), "list-hosts", "--profile", "work", "--domain-id", "d-1", "--user-profile", "alice")
    assert (named.returncode, named.stderr) == (
        2, "sdocker: the profile 'work' needs botocore, which this Python lacks: pip install botocore\n")
    assert len(api.requests) == 1, "nothing sent without credentials"


def test_this_python_runs_the_compiled_modules_and_another_compiles_the_sources(installed, tmp_path, home):
    """A .pyc for this Python is used as it is; one with a foreign magic number is passed over for the source."""
    probe = "import studiocp_client.cli as c; print(c.__cached__ if hasattr(c, '__cached__') else '', " \
            "type(c.__loader__).__name__, c.__spec__.origin)"
    env = dict(os.environ, PYTHONPATH=str(installed))
    ran = subprocess.run([sys.executable, "-c", probe], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         universal_newlines=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split()[-1].endswith("studiocp_client/cli.pyc"), "loaded compiled: " + ran.stdout
    foreign = tmp_path / "foreign-sdocker"
    with zipfile.ZipFile(str(installed)) as source, zipfile.ZipFile(str(foreign), "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name.endswith(".pyc"):
                data = b"\x00\x00" + data[2:]  # another Python's magic number
            target.writestr(name, data)
    env = dict(os.environ, PYTHONPATH=str(foreign))
    ran = subprocess.run([sys.executable, "-c", probe], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         universal_newlines=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split()[-1].endswith("studiocp_client/cli.py"), "compiled from source: " + ran.stdout
    result = subprocess.run([sys.executable, str(foreign), "--version"], env=dict(os.environ, PYTHONPATH=""),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, "sdocker 1.0\n"), result.stderr


def test_the_file_starts_python3_from_the_path_without_site_packages(installed, tmp_path, home):
    """The launcher runs `python3 -S FILE ARGS`; a Python's site-packages are loaded only for botocore."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "python3-args"
    fake = bin_dir / "python3"
    fake.write_text("#!/bin/sh\nprintf '%%s\\n' \"$@\" > %s\nexec %s \"$@\"\n" % (record, sys.executable))
    fake.chmod(0o755)
    env = {"PATH": "%s:/usr/bin:/bin" % bin_dir, "HOME": str(home)}
    result = subprocess.run([str(installed), "--version"], cwd=str(tmp_path), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, "sdocker 1.0\n"), result.stderr
    assert record.read_text().splitlines() == ["-S", str(installed), "--version"]
    probe = subprocess.run([sys.executable, "-S", "-c", "import sys; sys.path.insert(0, %r); "
                            "from studiocp_client import credentials; credentials._add_site_packages(); "
                            "import botocore; print('botocore' in sys.modules)" % str(installed)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert probe.stdout == "True\n", "site-packages added when botocore is needed: " + probe.stderr
    missing = subprocess.run([str(installed), "--version"], cwd=str(tmp_path), env={"PATH": "/nonexistent"},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert (missing.returncode, missing.stderr) == (127, "sdocker needs python3 (3.8 or newer) on the PATH\n")

#!/usr/bin/env python3
"""Builds the client users install: one executable file, a zip application of client/src.

    python3 client/build.py [OUTPUT]      (default: client/dist/sdocker; `make build` runs it)

The same sources give the same bytes (sorted entries, fixed times and modes), so a build can be
compared with another and the file's checksum means something. It runs on any Python 3.8+
(botocore only for credentials outside the environment and Studio's role); nothing else is bundled.

Each module is there compiled too, for the Python that builds it (build with the version your
Studio image runs): that Python starts sdocker without compiling it, about 0.07 s sooner. Another
version finds the compiled module's magic number foreign and compiles the source, as it would
anyway. The compiled modules are unchecked hash-based .pyc files: no time stamp in them.
"""
import os
import py_compile
import sys
import tempfile
import zipfile

CLIENT = os.path.dirname(os.path.abspath(__file__))
SOURCES = os.path.join(CLIENT, "src")
PACKAGE = "studiocp_client"
DEFAULT_OUTPUT = os.path.join(CLIENT, "dist", "sdocker")
# The file runs as a shell script first (a zip archive may begin with anything): it starts python3
# without site-packages (-S), whose .pth files cost a Python start tens of milliseconds; sdocker
# needs none of them unless it needs botocore, and then loads them itself (credentials.py).
LAUNCHER = b"""#!/bin/sh
# sdocker: a Python zip application (unzip -l lists its modules); python3 runs it without site-packages.
command -v python3 >/dev/null 2>&1 || { echo "sdocker needs python3 (3.8 or newer) on the PATH" >&2; exit 127; }
exec python3 -S "$0" "$@"
"""
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
MAIN = """import sys

if sys.version_info < (3, 8):
    sys.exit("sdocker needs Python 3.8 or newer, not %d.%d" % sys.version_info[:2])

from studiocp_client.cli import entry

sys.exit(entry())
"""


def sources():
    """(name in the archive, path) of every module of the package, sorted."""
    found = []
    for directory, subdirectories, files in os.walk(os.path.join(SOURCES, PACKAGE)):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(directory, name)
                found.append((os.path.relpath(path, SOURCES).replace(os.sep, "/"), path))
    return sorted(found)


def entry(name):
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def compiled(name, path, scratch):
    """The module compiled by this Python, named in its tracebacks by its place in the archive."""
    target = os.path.join(scratch, "module.pyc")
    py_compile.compile(path, cfile=target, dfile=name, doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    with open(target, "rb") as f:
        return f.read()


def build(output=DEFAULT_OUTPUT):
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    partial = output + ".partial"
    with open(partial, "wb") as f, tempfile.TemporaryDirectory() as scratch:
        f.write(LAUNCHER)
        with zipfile.ZipFile(f, "w") as archive:
            archive.writestr(entry("__main__.py"), MAIN)
            for name, path in sources():
                with open(path, "rb") as source:
                    archive.writestr(entry(name), source.read())
                archive.writestr(entry(name + "c"), compiled(name, path, scratch))
    os.chmod(partial, 0o755)
    os.replace(partial, output)
    return output


if __name__ == "__main__":
    if len(sys.argv) > 2:
        sys.exit("usage: build.py [OUTPUT]")
    print(build(*sys.argv[1:]))

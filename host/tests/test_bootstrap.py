"""host/bootstrap.sh as a script: it parses, shellcheck finds nothing, it refuses to run half-configured.

What it does on a host is tested for real by the sandbox's end-to-end suite (local/e2e)."""
import os
import shutil
import subprocess

import pytest

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bootstrap.sh")


def test_bash_parses_it():
    result = subprocess.run(["bash", "-n", SCRIPT], stderr=subprocess.PIPE, universal_newlines=True)
    assert result.returncode == 0, result.stderr


def test_shellcheck_finds_nothing():
    if shutil.which("shellcheck") is None:
        pytest.fail("shellcheck is not installed (apt-get install shellcheck); make test needs it")
    result = subprocess.run(["shellcheck", "--severity=style", SCRIPT], stdout=subprocess.PIPE,
                            universal_newlines=True)
    assert result.returncode == 0, result.stdout


def test_it_names_the_first_missing_value_and_does_nothing(tmp_path):
    env = {"PATH": os.environ["PATH"], "SDOCKER_LOCAL_ROOT": str(tmp_path), "SDOCKER_HOST_ID": "h-0123456789abcdef"}
    result = subprocess.run(["bash", SCRIPT], env=env, stderr=subprocess.PIPE, universal_newlines=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip() == "bootstrap: SDOCKER_REGION is not set"
    assert list(tmp_path.iterdir()) == [], "nothing was created"


def test_the_rendered_values_block_is_where_launch_expects_it():
    with open(SCRIPT) as f:
        lines = f.read().splitlines()
    assert lines[0] == "#!/bin/bash"
    assert lines.count("# @STUDIOCP_RENDERED_VALUES@") == 1

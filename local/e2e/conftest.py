"""The sandbox as users meet it: started as `make run` starts it, driven through the built sdocker and
the docker CLI, and stopped by PID (SIGTERM) with a check that it exits 0 and that nothing it
started is left behind: no process, no network interface of its hosts, no runtime directory, no
slot held."""
import os
import shutil
import sys
import tarfile

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from sandboxctl import SandboxProcess, processes_mentioning  # noqa: E402

LAUNCH_TIMEOUT = 25
HEARTBEAT = 12


def running_sandbox(state_dir, *extra):
    """A sandbox with the tests' short timeouts, checked when it stops: exit 0, nothing left behind."""
    process = SandboxProcess(state_dir, ["--launch-timeout", str(LAUNCH_TIMEOUT), "--heartbeat", str(HEARTBEAT)]
                             + list(extra))
    try:
        process.start()
    except RuntimeError as e:
        pytest.fail(str(e))
    try:
        yield process
    finally:
        leftovers = process.stop()
        assert leftovers == [], "left behind after SIGTERM: %s" % leftovers
        assert process.returncode == 0, "a requested stop is not a failure: %s" % process.log()[-2000:]
        assert "stopping everything the sandbox started" in process.log()


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    yield from running_sandbox(tmp_path_factory.mktemp("sandbox"))


@pytest.fixture(scope="session")
def busybox_image(tmp_path_factory):
    """A test image built here (no registry is reachable): busybox-static as a root file system."""
    busybox = shutil.which("busybox")
    if busybox is None:
        pytest.fail("busybox is not installed (apt-get install busybox-static)")
    root = tmp_path_factory.mktemp("busybox-root")
    os.makedirs(root / "bin")
    shutil.copy(busybox, root / "bin" / "busybox")
    for tool in ("sh", "echo", "cat", "ls", "sleep", "wc"):
        os.symlink("busybox", root / "bin" / tool)
    archive = tmp_path_factory.mktemp("busybox-image") / "busybox.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(str(root), arcname=".")
    return archive.read_bytes()


@pytest.fixture
def reset_hooks(sandbox):
    """Removes bootstrap hooks a test wrote into a user's home."""
    written = []
    yield written
    for path in written:
        if os.path.exists(path):
            os.remove(path)

"""`make run` as a user meets it: --help is an answer, not an error; Ctrl-C and SIGTERM are a stop (exit 0, the
"stopping everything" line, no make error); a start that fails says why in one line and fails.

The build is not repeated here (make's -o marks it done): what is tested is the run target itself."""
import json
import os
import signal
import socket
import subprocess

from sandboxctl import REPO, alive, processes_of, wait_until

MAKE_RUN = ["make", "--no-print-directory", "-o", "build", "-o", "tools", "run"]


def make_run(args, **kwargs):
    return subprocess.Popen(MAKE_RUN + ["ARGS=" + " ".join(args)], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, universal_newlines=True, **kwargs)


def sandbox_args(tmp_path):
    return ["--no-hosts", "--api-port", "0", "--state-dir", str(tmp_path / "state"),
            "--ready-file", str(tmp_path / "ready.json")]


def wait_for_ready(tmp_path, make):
    ready_file = tmp_path / "ready.json"
    assert wait_until(lambda: ready_file.exists() or make.poll() is not None, 180), "the sandbox did not come up"
    assert ready_file.exists(), make.communicate()[0]
    return json.loads(ready_file.read_text())


def assert_all_stopped(ready):
    assert wait_until(lambda: not alive(ready["keeperPid"]), 90), "the keeper gave the slot back"
    assert not alive(ready["pid"]) and not alive(ready["motoPid"])
    assert processes_of(ready["runtimeDir"]) == []


def test_help_prints_the_usage_and_exits_0():
    make = make_run(["--help"])
    output = make.communicate(timeout=120)[0]
    assert make.returncode == 0, output
    assert "usage: sandbox [options]" in output and "--state-dir DIR" in output
    assert "make: ***" not in output


def test_sigterm_stops_everything_and_make_exits_0(tmp_path):
    make = make_run(sandbox_args(tmp_path))
    ready = wait_for_ready(tmp_path, make)
    os.kill(ready["pid"], signal.SIGTERM)
    output = make.communicate(timeout=120)[0]
    assert make.returncode == 0, output
    assert "stopping everything the sandbox started" in output
    assert "make: ***" not in output
    assert_all_stopped(ready)


def test_ctrl_c_stops_everything_without_a_make_error(tmp_path):
    make = make_run(sandbox_args(tmp_path), start_new_session=True)
    ready = wait_for_ready(tmp_path, make)
    os.killpg(make.pid, signal.SIGINT)  # what a terminal does on Ctrl-C: the whole foreground group
    output = make.communicate(timeout=120)[0]
    assert "stopping everything the sandbox started" in output
    # make, interrupted itself, ends by the same signal as GNU make always does; it reports an error
    # (an exit status, or "Interrupt") only if the sandbox failed or died of the signal.
    assert make.returncode in (0, -signal.SIGINT), output
    assert "make: ***" not in output
    assert_all_stopped(ready)


def test_a_start_that_fails_says_why_in_one_line_and_fails(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = sandbox_args(tmp_path)
        args[args.index("--api-port") + 1] = str(port)
        make = make_run(args)
        output = make.communicate(timeout=180)[0]
    assert make.returncode != 0, output
    reasons = [line for line in output.splitlines() if line.startswith("sandbox: ")]
    assert len(reasons) == 1, output
    assert "127.0.0.1:%d" % port in reasons[0]
    assert "Exception" not in output and "\tat " not in output, "no stack trace"
    assert not os.path.exists(tmp_path / "ready.json")

"""What a host changes on the user's side: a Docker context named after the host (with the client
certificate the host wrote into the user's home; written into Docker's store by `contexts`), and
SageMaker local mode's container root."""
import os
import shutil
import sys
import time

from . import contexts
from .errors import CommandError


def write_context(host):
    """A Docker context named after the host, with the client certificate from the shared home, made current."""
    name, directory = host["hostId"], host["certDirectory"]
    for file in contexts.TLS_FILES:
        if not wait_for_file(os.path.join(directory, file)):
            raise CommandError("the host's certificate %s is not in %s; see %s/bootstrap.log"
                               % (file, directory, directory))
    description = "sdocker %s (%s)" % (host.get("instanceType", ""), host.get("instanceId", ""))
    contexts.create_and_use(name, host["dockerEndpoint"], description, directory)
    if os.environ.get("DOCKER_HOST") or os.environ.get("DOCKER_CONTEXT"):
        print("note: unset DOCKER_HOST and DOCKER_CONTEXT so that docker uses the context '%s'" % name,
              file=sys.stderr)
    if shutil.which("docker") is None:
        print("note: the docker CLI is not on the PATH; install it to use the context '%s'" % name, file=sys.stderr)
    return name


def wait_for_file(path, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if os.path.exists(path):
            return True
        time.sleep(0.2)
    return os.path.exists(path)


def forget_host(host_id, cert_directory):
    """Removes the host's context (switching away first if it is current) and its certificates."""
    contexts.remove(host_id)
    if cert_directory and os.path.basename(os.path.dirname(cert_directory.rstrip("/"))) == "hosts" \
            and os.path.basename(cert_directory.rstrip("/")) == host_id and os.path.isdir(cert_directory):
        shutil.rmtree(cert_directory, ignore_errors=True)


def configure_local_mode(host, region):
    """Points SageMaker local mode's container_root at the shared home, visible on the host too."""
    home = host["certDirectory"].split("/.sdocker/hosts/")[0]
    container_root = os.path.join(home, "tmp")
    os.makedirs(container_root, exist_ok=True)
    path = os.path.expanduser(os.path.join("~", ".sagemaker", "config.yaml"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    lines = open(path).read().splitlines() if os.path.exists(path) else []
    entry = "  container_root: %s" % container_root
    if "local:" not in [line.rstrip() for line in lines]:
        lines += ["local:", "  local_code: true", "  region_name: %s" % region, entry]
    else:
        start = [line.rstrip() for line in lines].index("local:")
        end = start + 1
        while end < len(lines) and (lines[end].startswith(" ") or not lines[end].strip()):
            end += 1
        section = [i for i in range(start + 1, end) if lines[i].strip().startswith("container_root:")]
        if section:
            lines[section[0]] = entry
        else:
            lines.insert(start + 1, entry)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return container_root

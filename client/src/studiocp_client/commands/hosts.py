"""Docker hosts: `sdocker create-host`, `list-hosts`, `host-status`, `use-host`, `stop-host`, `start-host`,
`extend-host`, `terminate-host`, `terminate-current-host` (top-level commands, as they have always been)."""
import sys
import time

from .. import contexts
from ..arguments import port, positive
from ..docker import configure_local_mode, forget_host, write_context
from ..errors import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, CommandError
from ..output import print_json, row, when

# Each look at a settling host asks the API to hold the answer until the host's state changes, for up
# to a second (progress is printed between looks): a host from the warm pool, ready a second after
# the request, is seen ready within the API's next read of it, with a few calls in all. An API that
# answers at once (one older than waitSeconds) is looked at every 0.1 s for the first 10 s, then
# every 0.5 s (a fresh EC2 instance takes half a minute; a start as long).
WAIT_SECONDS = 1
POLL_SECONDS = 0.1
POLL_FAST_FOR = 10
POLL_SLOW_SECONDS = 0.5
LIST_COLUMNS = (("HOST", 20), ("STATE", 13), ("TYPE", 13), ("$/HOUR", 8), ("DOCKER ENDPOINT", 28), ("EXPIRES", 23))


def register(commands, common):
    create = commands.add_parser("create-host", parents=[common], help="request a host and switch Docker to it")
    create.add_argument("--instance-type", required=True, help="an EC2 instance type, such as m5.xlarge")
    create.add_argument("--subnet-id", help="a subnet of the Studio domain (default: the control plane picks)")
    create.add_argument("--volume-gib", type=positive, help="root volume size for images")
    create.add_argument("--ttl-hours", type=positive, help="hours until the host expires")
    create.add_argument("--extra-port", type=port, action="append", help="another port to open to Studio (repeatable)")
    create.add_argument("--no-wait", action="store_true", help="return once the request is accepted")
    create.add_argument("--timeout", type=positive, default=900, help="seconds to wait for the host (default 900)")
    create.set_defaults(run=create_host, needs_identity=True)

    listing = commands.add_parser("list-hosts", parents=[common], help="your hosts (admins: --all, --owner)")
    listing.add_argument("--all", action="store_true", help="every user's hosts (admins)")
    listing.add_argument("--owner", help="DOMAIN_ID/USER_PROFILE (admins)")
    listing.set_defaults(run=list_hosts)

    status = commands.add_parser("host-status", parents=[common], help="one host (default: the current context's)")
    status.add_argument("host_id", nargs="?", metavar="HOST_ID")
    status.set_defaults(run=host_status)

    use = commands.add_parser("use-host", parents=[common], help="write the host's context and switch to it")
    use.add_argument("host_id", metavar="HOST_ID")
    use.add_argument("--timeout", type=positive, default=900, help="seconds to wait if it is still provisioning")
    use.set_defaults(run=use_host, needs_identity=True)

    stop = commands.add_parser("stop-host", parents=[common],
                               help="stop a host (default: the current context's); its volume and images stay")
    stop.add_argument("host_id", nargs="?", metavar="HOST_ID")
    stop.set_defaults(run=stop_host)

    start = commands.add_parser("start-host", parents=[common],
                                help="start a stopped host (default: the current context's) and switch Docker to it")
    start.add_argument("host_id", nargs="?", metavar="HOST_ID")
    start.add_argument("--no-wait", action="store_true", help="return once the start is accepted")
    start.add_argument("--timeout", type=positive, default=900, help="seconds to wait for the host (default 900)")
    start.set_defaults(run=start_host, needs_identity=True)

    extend = commands.add_parser("extend-host", parents=[common],
                                 help="move a host's expiry (default: the current context's host)")
    extend.add_argument("host_id", nargs="?", metavar="HOST_ID")
    extend.add_argument("--ttl-hours", type=positive, required=True, help="hours from now until it expires")
    extend.set_defaults(run=extend_host)

    terminate = commands.add_parser("terminate-host", parents=[common], help="terminate a host, remove its context")
    terminate.add_argument("host_id", metavar="HOST_ID")
    terminate.set_defaults(run=terminate_host)

    terminate_current = commands.add_parser("terminate-current-host", parents=[common],
                                            help="terminate the host of the current context")
    terminate_current.set_defaults(run=terminate_current_host)


def show(host, as_json):
    if as_json:
        print_json(host)
        return
    fields = [("host", "hostId"), ("state", "state"), ("instance type", "instanceType"),
              ("instance", "instanceId"), ("docker endpoint", "dockerEndpoint"),
              ("certificates", "certDirectory"), ("extra ports", "extraPorts"), ("created", "createdAt"),
              ("ready", "readyAt"), ("expires", "expiresAt"), ("failure", "failureReason"),
              ("stopped because", "stopReason"), ("last active", "lastActive")]
    if host.get("hourlyUsd") is not None:
        host = dict(host, cost="$%s an hour%s" % (per_hour(host), " (its volume only, while stopped)"
                                                 if host.get("state") == "STOPPED" else ""))
        fields.append(("cost", "cost"))
    for label, key in fields:
        value = host.get(key)
        if isinstance(value, dict):
            value = "%s (%s)" % (value.get("at"), value.get("signal"))
        if value not in (None, [], ""):
            print("%-16s %s" % (label, ", ".join(map(str, value)) if isinstance(value, list) else value))


SETTLING = ("PROVISIONING", "STARTING")


def wait_until_settled(api, host, timeout):
    """Follows the host until it is neither provisioning nor starting, printing progress at most once a second."""
    started = time.time()
    last_print = 0.0
    interactive = sys.stderr.isatty()
    look = Look(api, host["hostId"])
    while host["state"] in SETTLING:
        elapsed = time.time() - started
        if elapsed > timeout:
            raise CommandError("%s is still %s after %d s; follow it with 'sdocker host-status %s'"
                               % (host["hostId"], host["state"].lower(), timeout, host["hostId"]))
        if time.time() - last_print >= 1.0:
            line = "%s %s %ds" % (host["hostId"], host["state"], elapsed)
            print(("\r" + line) if interactive else line, end="" if interactive else "\n", file=sys.stderr, flush=True)
            last_print = time.time()
        asked = time.time()
        host = look()
        pause = (POLL_SECONDS if elapsed < POLL_FAST_FOR else POLL_SLOW_SECONDS) - (time.time() - asked)
        if host["state"] in SETTLING and pause > 0:
            time.sleep(pause)
    if interactive and last_print:
        print(file=sys.stderr)
    return host


class Look:
    """One look at a settling host: held by the API until its state changes (WAIT_SECONDS at most),
    or, from an API older than waitSeconds (it refuses the parameter), answered at once."""

    def __init__(self, api, host_id):
        self.api = api
        self.path = "/hosts/" + host_id
        self.waits = True

    def __call__(self):
        if self.waits:
            try:
                return self.api.call("GET", self.path, query={"waitSeconds": str(WAIT_SECONDS)})
            except CommandError as e:
                if e.reason != "UnknownParameter":
                    raise
                self.waits = False
        return self.api.call("GET", self.path)


def create_host(args, api):
    body = {"instanceType": args.instance_type}
    if args.subnet_id:
        body["subnetId"] = args.subnet_id
    if args.volume_gib is not None:
        body["volumeGiB"] = args.volume_gib
    if args.ttl_hours is not None:
        body["ttlHours"] = args.ttl_hours
    if args.extra_port:
        body["extraPorts"] = args.extra_port
    host = api.call("POST", "/hosts", body=body)
    if not args.json:
        print("requested %s (%s); provisioning" % (host["hostId"], args.instance_type), file=sys.stderr)
    if args.no_wait:
        show(host, args.json)
        return EXIT_OK
    host = wait_until_settled(api, host, args.timeout)
    if host["state"] != "READY":
        reason = host.get("failureReason") or "it is %s" % host["state"]
        raise CommandError("%s did not become ready: %s" % (host["hostId"], reason))
    return switch_to(host, api, args)


def switch_to(host, api, args):
    context = write_context(host)
    container_root = configure_local_mode(host, api.region)
    if args.json:
        show(dict(host, context=context, containerRoot=container_root), True)
    else:
        print("Docker host %s is ready at %s" % (host["hostId"], host["dockerEndpoint"]))
        print("Current context is now \"%s\"; SageMaker local mode uses %s" % (context, container_root))
    return EXIT_OK


def use_host(args, api):
    host = api.call("GET", "/hosts/" + args.host_id)
    if host["state"] in SETTLING:
        host = wait_until_settled(api, host, args.timeout)
    if host["state"] != "READY":
        raise CommandError("%s is %s, not READY%s" % (host["hostId"], host["state"],
                                                      ": " + host["failureReason"] if host.get("failureReason") else ""))
    return switch_to(host, api, args)


def list_hosts(args, api):
    query = {}
    if args.all:
        query["all"] = "true"
    if args.owner:
        query["owner"] = args.owner
    hosts = api.call("GET", "/hosts", query=query).get("hosts", [])
    if args.json:
        print_json(hosts)
        return EXIT_OK
    if not hosts:
        print("no hosts")
        return EXIT_OK
    owners = args.all or args.owner
    widths = [width for _, width in LIST_COLUMNS] + [None]
    print(row([title for title, _ in LIST_COLUMNS] + (["OWNER"] if owners else []), widths))
    for h in hosts:
        cells = [h["hostId"], h["state"], h.get("instanceType", ""), per_hour(h), h.get("dockerEndpoint", "-"),
                 when(h.get("expiresAt"))]
        if owners and h.get("owner"):
            cells.append("%s/%s" % (h["owner"]["domainId"], h["owner"]["userProfileName"]))
        print(row(cells, widths))
    return EXIT_OK


def per_hour(host):
    """What the host costs per hour now, as the API estimated it (a stopped host: its volume only)."""
    usd = host.get("hourlyUsd")
    return "-" if usd is None else "%.3f" % usd


def current_host_id():
    context = contexts.current()
    if not context.startswith("h-"):
        raise CommandError("the current Docker context '%s' is not an sdocker host; name one, "
                           "or list them with 'sdocker list-hosts'" % context, EXIT_USAGE)
    return context


def host_status(args, api):
    host = api.call("GET", "/hosts/" + (args.host_id or current_host_id()))
    show(host, args.json)
    return EXIT_OK if host["state"] != "FAILED" else EXIT_REFUSED


def stop_host(args, api):
    host = api.call("POST", "/hosts/%s/stop" % (args.host_id or current_host_id()))
    if args.json:
        show(host, True)
    else:
        print("%s is %s; only its volume costs now. 'sdocker start-host %s' brings it back with the same "
              "context, certificates and images" % (host["hostId"], host["state"], host["hostId"]))
    return EXIT_OK


def start_host(args, api):
    host = api.call("POST", "/hosts/%s/start" % (args.host_id or current_host_id()))
    if not args.json:
        print("%s is %s" % (host["hostId"], host["state"].lower()), file=sys.stderr)
    if args.no_wait:
        show(host, args.json)
        return EXIT_OK
    host = wait_until_settled(api, host, args.timeout)
    if host["state"] != "READY":
        reason = host.get("stopReason") or host.get("failureReason") or "it is %s" % host["state"]
        raise CommandError("%s did not start: %s" % (host["hostId"], reason))
    return switch_to(host, api, args)


def extend_host(args, api):
    host = api.call("POST", "/hosts/%s/extend" % (args.host_id or current_host_id()), body={"ttlHours": args.ttl_hours})
    if args.json:
        show(host, True)
    else:
        print("%s now expires at %s" % (host["hostId"], when(host.get("expiresAt"))))
    return EXIT_OK


def terminate_host(args, api):
    return terminate_and_forget(args.host_id, args, api)


def terminate_current_host(args, api):
    return terminate_and_forget(current_host_id(), args, api)


def terminate_and_forget(host_id, args, api):
    host = api.call("DELETE", "/hosts/" + host_id)
    forget_host(host_id, host.get("certDirectory"))
    if args.json:
        show(host, True)
    else:
        print("%s is %s; its context and certificates are removed" % (host_id, host["state"]))
    return EXIT_OK

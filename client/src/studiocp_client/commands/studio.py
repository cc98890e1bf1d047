"""Studio sessions, seed 001's `sm_studio`, over the API's /studio routes:

    sdocker studio up [--space NAME] [--app jupyterlab|codeeditor]   # sm_studio up [--space_name NAME]
    sdocker studio down [--dry-run] [--keep APP] [--include-default] # sm_studio down
    sdocker studio status [--json] [--all]                            # sm_studio status (admins: status_all)
    sdocker studio spaces list | create NAME [--shared] | delete NAME # list_spaces, delete --space_name
"""
import os
import sys
import time
import urllib.parse

from ..arguments import group, positive
from ..config import DEFAULT_METADATA, session_space
from ..errors import EXIT_OK, CommandError
from ..output import print_json, row, when

APPS = ("jupyterlab", "codeeditor")
APP_COLUMNS = (("APP", 14), ("NAME", 36), ("WHERE", 22), ("INSTANCE", 15), ("STATUS", 10), ("AGE", 9), ("COST", 9))
SPACE_COLUMNS = (("SPACE", 24), ("SHARING", 8), ("OWNER", 16), ("STATUS", 10), ("APP", 11))
POLL_SECONDS = 2.0


def register(commands, common):
    studio = group(commands, "studio", common, help="Studio sessions: open Studio, your apps, your spaces")

    up = studio.add_parser("up", parents=[common], help="a URL that opens Studio (a space, created if missing)")
    up.add_argument("--space", help="open this space; it is created, private to you, if it does not exist")
    up.add_argument("--app", type=str.lower, choices=APPS, help="the app to land in (default: the space's, or Studio's home)")
    up.add_argument("--expires-in", type=positive, metavar="SECONDS",
                    help="how long the URL may wait to be opened, 5 to 300 (default 300)")
    up.add_argument("--session-hours", type=positive, metavar="HOURS",
                    help="how long the Studio session lasts once opened, 1 to 12 (default 12)")
    up.add_argument("--no-browser", action="store_true", help="print the URL only, never open a browser")
    up.set_defaults(run=studio_up, needs_identity=True)

    down = studio.add_parser("down", parents=[common],
                             help="delete your running apps, keeping the one that holds your session (Studio Classic's "
                                  "default JupyterServer, or the space sdocker runs in)")
    down.add_argument("--dry-run", action="store_true", help="show what would be deleted; delete nothing")
    down.add_argument("--keep", action="append", metavar="APP_NAME", help="keep this app too (repeatable)")
    down.add_argument("--include-default", action="store_true",
                      help="delete the app that holds your session too (ends it)")
    down.set_defaults(run=studio_down, needs_identity=True)

    status = studio.add_parser("status", parents=[common], help="your apps: what runs, for how long, what it cost")
    status.add_argument("--all", action="store_true", help="every user's apps (admins)")
    status.set_defaults(run=studio_status)

    spaces = studio.add_parser("spaces", parents=[common], help="your spaces and the shared ones")
    space_commands = spaces.add_subparsers(dest="spaces_command", metavar="COMMAND")
    space_commands.required = True
    listing = space_commands.add_parser("list", parents=[common], help="your spaces and the domain's shared ones")
    listing.set_defaults(run=spaces_list, needs_identity=True)
    create = space_commands.add_parser("create", parents=[common], help="a new space, owned by you")
    create.add_argument("name", metavar="NAME")
    create.add_argument("--shared", action="store_true", help="open to everyone in the domain (default: private)")
    create.add_argument("--app", type=str.lower, choices=APPS, help="the space's app (default jupyterlab)")
    create.set_defaults(run=spaces_create, needs_identity=True)
    delete = space_commands.add_parser("delete", parents=[common], help="delete a space you own, its apps first")
    delete.add_argument("name", metavar="NAME")
    delete.add_argument("--no-wait", action="store_true", help="return once its apps are being deleted")
    delete.add_argument("--timeout", type=positive, default=600, help="seconds to wait for its apps (default 600)")
    delete.set_defaults(run=spaces_delete)


def studio_up(args, api):
    body = {}
    if args.space:
        body["space"] = args.space
    if args.app:
        body["app"] = args.app
    if args.expires_in is not None:
        body["expiresInSeconds"] = args.expires_in
    if args.session_hours is not None:
        body["sessionExpirationSeconds"] = args.session_hours * 3600
    session = api.call("POST", "/studio/url", body=body)
    if args.json:
        print_json(session)
        return EXIT_OK
    if session.get("spaceCreated"):
        print("created space %s (private to you)" % session["space"], file=sys.stderr)
    print(session["url"])
    print("open it before %s; it works once" % when(session.get("expiresAt")), file=sys.stderr)
    if not args.no_browser and _browser_available():
        import webbrowser
        webbrowser.open(session["url"])
    return EXIT_OK


def _browser_available():
    """A graphical browser is likely here: a laptop (macOS, Windows, a Linux desktop), not Studio or a server."""
    if os.environ.get("SDOCKER_METADATA_FILE") or os.path.exists(DEFAULT_METADATA):
        return False
    if sys.platform == "darwin" or sys.platform.startswith("win"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def studio_down(args, api):
    query = {}
    if args.dry_run:
        query["dryRun"] = "true"
    if args.include_default:
        query["keepDefault"] = "false"
    if args.keep:
        query["keep"] = ",".join(args.keep)
    space = session_space(args)
    if space:
        query["space"] = space  # the space this runs in holds the session: kept unless --include-default
    result = api.call("DELETE", "/studio/apps", query=query)
    if args.json:
        print_json(result)
        return EXIT_OK
    verb = "would delete" if result.get("dryRun") else "deleting"
    for app in result.get("deleted", []):
        print("%s %s %s (%s)" % (verb, app["appType"], app["appName"], _where(app)))
    for app in result.get("kept", []):
        print("keeping %s %s (%s)" % (app["appType"], app["appName"], _where(app)))
    if not result.get("deleted"):
        print("nothing to delete")
    return EXIT_OK


def studio_status(args, api):
    result = api.call("GET", "/studio/apps", query={"all": "true"} if args.all else None)
    apps = result.get("apps", [])
    if args.json:
        print_json(result)
        return EXIT_OK
    if not apps:
        print("no apps")
        return EXIT_OK
    columns = APP_COLUMNS + ((("OWNER", None),) if args.all else ())
    widths = [width for _, width in columns[:-1]] + [None]
    print(row([title for title, _ in columns], widths))
    for app in apps:
        cells = [app["appType"], app["appName"], _where(app), app.get("instanceType", "-"), app["status"],
                 _age(app.get("ageSeconds", 0)), _usd(app.get("costUsd"))]
        if args.all:
            owner = app.get("owner")
            cells.append("%s/%s" % (owner["domainId"], owner["userProfileName"]) if owner else "-")
        print(row(cells, widths))
    running = [a for a in apps if a["status"] in ("InService", "Pending")]
    unpriced = result.get("unpricedApps", 0)
    print("%d app%s, %d running; about %s so far%s" % (
        len(apps), "" if len(apps) == 1 else "s", len(running), _usd(result.get("totalCostUsd", 0)),
        " (%d of unknown price)" % unpriced if unpriced else ""))
    return EXIT_OK


def spaces_list(args, api):
    spaces = api.call("GET", "/studio/spaces").get("spaces", [])
    if args.json:
        print_json(spaces)
        return EXIT_OK
    if not spaces:
        print("no spaces")
        return EXIT_OK
    widths = [width for _, width in SPACE_COLUMNS] + [None]
    print(row([title for title, _ in SPACE_COLUMNS] + ["RUNNING APPS"], widths))
    for s in spaces:
        apps = ", ".join("%s %s" % (a["appType"], a["appName"]) for a in s.get("apps", [])
                         if a["status"] in ("InService", "Pending")) or "-"
        print(row([s["name"], s["sharing"], s.get("owner", "-"), s["status"], s.get("app", "-"), apps], widths))
    return EXIT_OK


def spaces_create(args, api):
    body = {"name": args.name, "shared": args.shared}
    if args.app:
        body["app"] = args.app
    space = api.call("POST", "/studio/spaces", body=body)
    if args.json:
        print_json(space)
    else:
        print("created %s space %s; open it with 'sdocker studio up --space %s'"
              % (space["sharing"].lower(), space["name"], space["name"]))
    return EXIT_OK


def spaces_delete(args, api):
    path = "/studio/spaces/" + urllib.parse.quote(args.name, safe="")
    started = time.time()
    told = None
    while True:
        result = api.call("DELETE", path)
        if result["status"] == "Deleting" or args.no_wait:
            break
        if time.time() - started > args.timeout:
            raise CommandError("the apps of space %s are still being deleted after %d s; run this again later"
                               % (args.name, args.timeout))
        going = ", ".join("%s %s" % (a["appType"], a["appName"]) for a in result.get("appsGoing", []))
        if not args.json and going != told:
            print("deleting the apps of %s first: %s" % (args.name, going), file=sys.stderr)
            told = going
        time.sleep(POLL_SECONDS)
    if args.json:
        print_json(result)
    elif result["status"] == "Deleting":
        print("space %s is being deleted" % args.name)
    else:
        print("the apps of space %s are being deleted; run this again once they are gone" % args.name)
    return EXIT_OK


def _where(app):
    return ("space " + app["space"]) if app.get("space") else ("profile " + app.get("userProfileName", "?"))


def _age(seconds):
    hours, rest = divmod(int(seconds), 3600)
    if hours >= 48:
        return "%dd%dh" % divmod(hours, 24)
    return "%dh%02dm" % (hours, rest // 60)


def _usd(value):
    return "unknown" if value is None else "$%.2f" % value

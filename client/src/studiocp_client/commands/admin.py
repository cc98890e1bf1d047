"""Admin commands: `sdocker admin report [--json]`, the admin console's report over the API's
`GET /admin/report` (admin principals only; anyone else gets the API's 403 as one line)."""
import sys

from ..arguments import group
from ..errors import EXIT_OK
from ..output import print_json


def register(commands, common):
    """Adds `sdocker admin` and its commands."""
    admin = group(commands, "admin", common, help="platform admins: the report of everything that runs")
    report = admin.add_parser("report", parents=[common],
                              help="every user's apps, spaces and hosts, their costs, police marks and failures")
    report.set_defaults(run=report_command)


def report_command(args, api):
    answer = api.call("GET", "/admin/report")
    if args.json:
        print_json(answer.get("report", {}))
        return EXIT_OK
    sys.stdout.write(answer.get("summary", ""))
    if not answer.get("summary", "").endswith("\n"):
        sys.stdout.write("\n")
    return EXIT_OK

"""What commands print: JSON for scripts (--json), aligned columns and readable times for people."""
import datetime
import json
import re

_ISO_8601 = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)$")


def print_json(value):
    print(json.dumps(value, indent=2))


def row(cells, widths):
    """One line of a table: each cell left-aligned in its width (None: as it is, for a last column)."""
    return " ".join(cell if width is None else "%-*s" % (width, cell) for cell, width in zip(cells, widths))


def when(timestamp):
    """An API time (ISO-8601, 'Z' or an offset) for people: '2025-01-31 17:00:00 UTC', zone explicit.

    Anything else is shown as it came, so an unexpected format is visible rather than hidden.
    """
    if not timestamp:
        return "-"
    match = _ISO_8601.match(timestamp)
    if not match:
        return timestamp
    day, clock, zone = match.groups()
    moment = datetime.datetime.strptime(day + " " + clock, "%Y-%m-%d %H:%M:%S")
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        hours, minutes = int(zone[1:3]), int(zone[-2:])
        moment -= sign * datetime.timedelta(hours=hours, minutes=minutes)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")

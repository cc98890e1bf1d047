"""The client's own log, ~/.sdocker/sdocker.log: every API call and every error, for support."""
import os
import time

LOG_FILE = os.path.join("~", ".sdocker", "sdocker.log")


def log(message):
    """Appends one line; a log that cannot be written never fails a command."""
    try:
        path = os.path.expanduser(LOG_FILE)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a") as out:
            out.write("%s %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), message))
    except OSError:
        pass

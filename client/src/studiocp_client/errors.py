"""What a command may fail with: one line for the user and an exit code scripts can rely on."""
import json

EXIT_OK = 0
EXIT_REFUSED = 1  # the API refused the request, or the host failed
EXIT_USAGE = 2  # bad arguments or configuration
EXIT_UNREACHABLE = 3  # the API could not be reached, or failed (5xx)
EXIT_DOCKER = 4  # Docker's context could not be written (its configuration in ~/.docker)
EXIT_INTERRUPTED = 130  # Ctrl-C
EXIT_DEFECT = 70  # a bug of ours: one line, the details in the log

EXIT_CODES = """exit codes: 0 done; 1 refused by the API or the host failed; 2 bad arguments or
configuration; 3 the API is unreachable or failing; 4 Docker's context could not be written."""


class CommandError(Exception):
    """An expected failure: printed as one line, with an exit code."""

    def __init__(self, message, code=EXIT_REFUSED, reason=None):
        super().__init__(message)
        self.code = code
        self.reason = reason  # the API's "error", when the API refused


def api_error(status, text):
    """The API's {"error", "message"} answer (or a gateway's bare text) as one line."""
    try:
        body = json.loads(text)
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    message = body.get("message") or text.strip() or "no details"
    code = body.get("error")
    line = "%s (%s %s)" % (message, status, code) if code else "%s (%s)" % (message, status)
    return CommandError(line, EXIT_UNREACHABLE if status >= 500 else EXIT_REFUSED, reason=code)


"""The command line: the options, the command groups, and how a run ends (an exit code and at
most one line of error, never a traceback)."""
import argparse
import os
import sys

from . import PROGRAM, VERSION
from .api import Api
from .arguments import common_options
from .commands import GROUPS, ssh
from .config import SOURCES, read_config, resolve_endpoint, resolve_identity, resolve_profile, resolve_region
from .errors import EXIT_CODES, EXIT_DEFECT, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, CommandError
from .log import log


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line naming what to change and where the help is (exit 2),
    not the usage block. Every subcommand's parser is one too."""

    def error(self, message):
        self.exit(EXIT_USAGE, "%s: %s (see '%s --help')\n" % (self.prog, message, self.prog))


def parser():
    top = OneLineParser(prog=PROGRAM, description="Private remote Docker hosts for SageMaker Studio.",
                                  epilog=EXIT_CODES + "\n\n" + SOURCES,
                                  formatter_class=argparse.RawDescriptionHelpFormatter,
                                  parents=[common_options(top=True)])
    top.add_argument("--version", action="version", version="%s %s" % (PROGRAM, VERSION))
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    common = common_options(top=False)
    for group in GROUPS:
        group.register(commands, common)
    return top


def main(argv=None):
    args = parser().parse_args(ssh.rewrite(sys.argv[1:] if argv is None else argv))
    try:
        config = read_config()
        endpoint = resolve_endpoint(args, config)
        region = resolve_region(args, config, endpoint)
        identity = resolve_identity(args, config, required=getattr(args, "needs_identity", False))
        return args.run(args, Api(endpoint, region, identity, resolve_profile(args, config)))
    except CommandError as e:
        log("error: %s" % e)
        print("%s: %s" % (PROGRAM, e), file=sys.stderr)
        return e.code
    except KeyboardInterrupt:
        print("\n%s: interrupted; a requested host keeps provisioning (see 'sdocker list-hosts')" % PROGRAM,
              file=sys.stderr)
        return EXIT_INTERRUPTED


def entry(argv=None):
    """The exit code of one run; a defect is one line too, its details in the log (SDOCKER_DEBUG=1 raises it)."""
    try:
        return main(argv)
    except SystemExit as e:  # argparse: --help, --version, bad arguments (2)
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BrokenPipeError:
        # The reader went away (`sdocker list-hosts | head`): what it wanted, it has; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as e:
        if os.environ.get("SDOCKER_DEBUG"):
            raise
        log("unexpected error: %r" % (e,))
        print("%s: unexpected error: %s (details in ~/.sdocker/sdocker.log; SDOCKER_DEBUG=1 shows them)"
              % (PROGRAM, e), file=sys.stderr)
        return EXIT_DEFECT

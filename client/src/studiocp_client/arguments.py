"""Argument types and the options every command takes, shared by the command groups."""
import argparse

from .config import DEFAULT_METADATA


def common_options(top):
    """Options every command takes, before or after its name (after wins)."""
    # Sub-commands must not overwrite what was given before the command name with their defaults.
    default = None if top else argparse.SUPPRESS
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--endpoint", default=default, help="the API's base URL (the stack's ApiUrl output)")
    common.add_argument("--region", default=default, help="the AWS region of the API")
    common.add_argument("--profile", default=default, help="the AWS profile to sign with (laptops; default: "
                                                           "$AWS_PROFILE, then botocore's usual chain)")
    common.add_argument("--metadata", default=default, help="the Studio metadata file (default %s)" % DEFAULT_METADATA)
    common.add_argument("--domain-id", default=default, help="act as this Studio domain's user (with --user-profile)")
    common.add_argument("--user-profile", default=default, help="act as this user profile (with --domain-id)")
    common.add_argument("--json", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="print JSON for scripts")
    return common


def group(commands, name, common, help):
    """A command group (`sdocker NAME COMMAND ...`): returns where the group's commands are added.

    Its commands take the common options too (pass `parents=[common]` to each).
    """
    parser = commands.add_parser(name, parents=[common], help=help)
    subcommands = parser.add_subparsers(dest=name.replace("-", "_") + "_command", metavar="COMMAND")
    subcommands.required = True
    return subcommands


def port(text):
    value = _number(text, "a port number")
    if not 1024 <= value <= 65535:
        raise argparse.ArgumentTypeError("%d is not a port from 1024 to 65535" % value)
    return value


def positive(text):
    value = _number(text, "a whole number")
    if value < 1:
        raise argparse.ArgumentTypeError("%d is not positive" % value)
    return value


def _number(text, what):
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("'%s' is not %s" % (text, what))

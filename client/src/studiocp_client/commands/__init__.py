"""The command groups, one module each; GROUPS is where the command line finds them.

A group module has `register(commands, common)`, which adds its commands to `commands` (the
sub-parsers of `sdocker`), each with `parents=[common]` (the options every command takes) and
`set_defaults(run=FUNCTION)`, plus `needs_identity=True` when the API must know which Studio user
acts. The hosts' commands sit at the top (`sdocker create-host`); every other group nests under its
name, through `arguments.group`:

    def register(commands, common):
        studio = group(commands, "studio", common, help="Studio sessions: URL, apps, spaces")
        up = studio.add_parser("up", parents=[common], help="open Studio (a presigned URL)")
        up.add_argument("--space")
        up.set_defaults(run=up_command, needs_identity=True)

    def up_command(args, api):
        url = api.call("POST", "/studio/url", body={...})["url"]
        ...
        return EXIT_OK

A command's `run(args, api)` returns an exit code (errors.EXIT_*) or raises errors.CommandError
with one line for the user. `api.call` signs, retries and adds the Idempotency-Key; `output`
prints JSON (`--json`), table rows and times. A group without commands registers nothing, so the
command line never offers an empty group.
"""
from . import admin, hosts, ssh, studio

GROUPS = (hosts, studio, admin, ssh)

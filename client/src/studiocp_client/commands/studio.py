"""Studio sessions, seed 001's `sm_studio` (`sdocker studio up|down|status|spaces`), over the API's
/studio routes. Not built yet: it registers no commands (see the package's docstring for how)."""


def register(commands, common):
    """Adds `sdocker studio` and its commands, once there are any."""

"""SSH over SSM into my apps and hosts (`sdocker ssh ...`), over the API's /ssh routes. Not built
yet: it registers no commands (see the package's docstring for how)."""


def register(commands, common):
    """Adds `sdocker ssh` and its commands, once there are any."""

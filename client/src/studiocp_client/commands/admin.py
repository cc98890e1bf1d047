"""Admin commands (`sdocker admin report`), over the API's /admin routes. Not built yet: it
registers no commands (see the package's docstring for how)."""


def register(commands, common):
    """Adds `sdocker admin` and its commands, once there are any."""

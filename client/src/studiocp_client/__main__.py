"""`python3 -m studiocp_client`: the same client, run from the source tree (PYTHONPATH=client/src)."""
import sys

from studiocp_client.cli import entry

sys.exit(entry())

"""`python -m stodocs`: the stodocs command, for when the installed script is not on the PATH."""
import sys

from .cli import run

sys.exit(run(prog="python -m stodocs"))

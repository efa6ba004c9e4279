#!/usr/bin/env python3
"""stodocs command line for the project folder this file is in: the `stodocs` command (stodocs/cli.py)."""
from __future__ import annotations

import sys
from pathlib import Path

from stodocs import cli

ROOT = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    """Run one command on this folder's content/; return the exit code."""
    return cli.main(argv, ROOT, prog="build.py")


if __name__ == "__main__":
    sys.exit(cli.run(sys.argv[1:], ROOT, prog="build.py"))

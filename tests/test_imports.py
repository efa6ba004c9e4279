"""The package's import contracts ([tool.importlinter] in pyproject.toml), checked by import-linter."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from gitrepo import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(package_parent: Path) -> subprocess.CompletedProcess:
    """Run lint-imports with the project's contracts on the stodocs package found in `package_parent`."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update(PYTHONPATH=str(package_parent), PYTHONDONTWRITEBYTECODE="1", NO_COLOR="1")
    return subprocess.run([str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
                          cwd=package_parent, env=env, capture_output=True, text=True, check=False)


def test_the_import_contracts_are_kept():
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_an_upward_import_breaks_the_layers_contract(tmp_path: Path):
    """An import of the command line from the bottom layer, even inside a function, is refused by name."""
    shutil.copytree(ROOT / "stodocs", tmp_path / "stodocs", ignore=shutil.ignore_patterns("__pycache__"))
    problems = tmp_path / "stodocs" / "problems.py"
    problems.write_text(problems.read_text(encoding="utf-8") + "\n\ndef _upward():\n    from . import cli\n",
                        encoding="utf-8")
    done = _lint(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "stodocs.problems -> stodocs.cli" in done.stdout

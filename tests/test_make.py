"""Every make target that the README or docs name works on a fresh clone of the project.

The cheap targets run for real in a fresh clone; the expensive ones (a full test run, ten minutes of fuzzing, the
benchmarks, every page as PNG) and the ones that need the network (refreshing the lock) are planned by make with
`make -n`, and their script is started as far as its imports, where a missing module shows. `make build` itself
runs on two fresh clones in test_lock.py, and `make test` is what CI runs.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import GIT_ENV, ROOT, GitRepo, copy_example
from test_lock import make_env, project_files

# The words after "make " in the docs that are prose, not targets.
PROSE = {"it"}
# Run for real in the fresh clone: each takes seconds. `golden` and `cases` must leave the clone as it was.
RUN = {"validate": [], "install": [], "venv": [], "golden": [], "cases": []}
# Planned only, with the script each one starts (imported in the clone, so a missing module fails here).
PLANNED = {"build": None, "test": None, "lock": None, "lock-upgrade": None, "fuzz": None,
           "benchmark": "benchmarks/run.py", "preview": "tests/preview.py", "pictures": "docs/img/make_pictures.py"}


def named_targets() -> set[str]:
    """Return every `make TARGET` that README.md and the files under docs/ name."""
    texts = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")), *sorted((ROOT / "docs").rglob("*.py"))]
    return {m for path in texts for m in re.findall(r"\bmake ([a-z][a-z-]*)", path.read_text("utf-8"))} - PROSE


def makefile_targets() -> set[str]:
    """Return the targets the Makefile defines."""
    text = (ROOT / "Makefile").read_text("utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, flags=re.M))


def test_every_named_target_exists_and_is_covered_here():
    named = named_targets()
    assert {"build", "test"} <= named
    assert named <= makefile_targets(), f"docs name targets the Makefile lacks: {named - makefile_targets()}"
    assert named <= set(RUN) | set(PLANNED), f"say how this test covers: {named - set(RUN) - set(PLANNED)}"


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> GitRepo:
    """A fresh clone of the project as it is, its .venv the one this test runs in (what `make build` installs)."""
    tmp = tmp_path_factory.mktemp("make")
    source = GitRepo(tmp / "project")
    for name in project_files():
        if name.startswith("content/"):  # the project as it is, with the fixture region as its content
            continue
        (source.root / name).parent.mkdir(parents=True, exist_ok=True)
        (source.root / name).write_bytes((ROOT / name).read_bytes())
        (source.root / name).chmod((ROOT / name).stat().st_mode)
    copy_example(source.root)
    source.commit("stodocs")
    clone = source.clone(tmp / "clone")
    (clone.root / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    return clone


def make(clone: GitRepo, *args: str) -> subprocess.CompletedProcess:
    # -o: the linked .venv counts as installed (test_lock.py proves it holds exactly the lock)
    return subprocess.run(["make", "-C", str(clone.root), "-o", ".venv/.installed", *args], capture_output=True,
                          text=True, env=dict(make_env(), **GIT_ENV), check=False)


@pytest.mark.parametrize("target", sorted(RUN))
def test_a_cheap_target_runs_on_a_fresh_clone(clone, target):
    done = make(clone, target, *RUN[target])
    assert done.returncode == 0, done.stdout + done.stderr
    if target in ("golden", "cases"):  # a refresh on an unchanged tree changes nothing
        assert clone.git("status", "--porcelain", "--untracked-files=no") == ""


@pytest.mark.parametrize("target", sorted(PLANNED))
def test_an_expensive_target_is_planned_and_its_script_imports(clone, target):
    done = make(clone, "-n", target)
    assert done.returncode == 0, done.stdout + done.stderr
    script = PLANNED[target]
    if script:
        assert script in done.stdout
        check = subprocess.run([str(clone.root / ".venv" / "bin" / "python"), "-c",
                                "import runpy, sys; sys.argv = [sys.argv[1]]; runpy.run_path(sys.argv[0], run_name='x')",
                                script], cwd=clone.root, capture_output=True, text=True, env=make_env(), check=False)
        assert check.returncode == 0, check.stderr

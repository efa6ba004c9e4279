"""Every folder under tests/cases/ is one case: the fixture region with a small change.

A case folder holds only what it changes, applied to a copy of the frozen fixture region
(tests/fixture/content/lindewaard/, see gitrepo.py):
- `change.patch`: a unified diff against the fixture region, paths relative to the region folder
  (`a/begroting.yaml`, `b/begroting.yaml`), as `git diff --no-index` writes it;
- new files that the fixture does not have (an image, a misnamed file), copied in as they are;
- `_delete`: fixture files to remove, one per line;
- `_grow`: lines `<file> <bytes>` that pad a file with comment lines to at least that size;
- `expected.txt`: the exact problem lines `validate` reports, in order (absent for a clean valid case).

`make cases` rewrites every expected.txt from what validate reports now; review the diff before committing.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from gitrepo import FIXTURE_REGION, TODAY, copy_example
from stodocs.pipeline import check
from stodocs.sources import WorkingTree

CASES = Path(__file__).resolve().parent / "cases"
SPECIAL = {"expected.txt", "_delete", "_grow", "change.patch"}
UPDATE = os.environ.get("STODOCS_UPDATE_CASES") == "1"


def _cases(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


def _apply(case: Path, region: Path) -> None:
    patch = case / "change.patch"
    if patch.exists():
        done = subprocess.run(["git", "apply", "--binary", "--whitespace=nowarn", "--unsafe-paths", str(patch)],
                              cwd=region, capture_output=True, text=True)
        if done.returncode != 0:
            pytest.fail(f"case {case.name}: change.patch no longer fits the fixture region; "
                        f"remake it against tests/fixture/content/lindewaard/:\n{done.stderr}")
    for item in sorted(case.rglob("*")):
        if item.is_file() and item.name not in SPECIAL:
            rel = item.relative_to(case)
            assert not (FIXTURE_REGION / rel).exists(), \
                f"case {case.name}: {rel} is a whole copy of a fixture file; put the change in change.patch"
            target = region / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item, target)
    delete = case / "_delete"
    if delete.exists():
        for name in delete.read_text(encoding="utf-8").split():
            (region / name).unlink()
    grow = case / "_grow"
    if grow.exists():
        for line in grow.read_text(encoding="utf-8").splitlines():
            name, size = line.split()
            path = region / name
            padding = b"# opvulling\n" * (int(size) // 12 + 1)
            path.write_bytes(path.read_bytes() + padding)


def _problems(case: Path, tmp_path: Path) -> list[str]:
    _apply(case, copy_example(tmp_path))
    checked = check(WorkingTree(tmp_path), None, TODAY)
    return [problem.format() for problem in checked.problems]


def _expected(case: Path) -> list[str]:
    path = case / "expected.txt"
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _compare(case: Path, actual: list[str]) -> None:
    if UPDATE:
        path = case / "expected.txt"
        if actual:
            path.write_text("".join(f"{line}\n" for line in actual), encoding="utf-8")
        elif path.exists():
            path.unlink()
        return
    assert actual == _expected(case)


@pytest.mark.parametrize("case", _cases("invalid"), ids=lambda p: p.name)
def test_invalid_case(case: Path, tmp_path: Path):
    actual = _problems(case, tmp_path)
    assert actual, f"{case.name}: an invalid case must report at least one problem"
    _compare(case, actual)


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.name)
def test_valid_case(case: Path, tmp_path: Path):
    _compare(case, _problems(case, tmp_path))

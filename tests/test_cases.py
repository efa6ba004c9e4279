"""Every folder under tests/cases/ is one case: the example region with some files changed.

A case folder holds the files that differ from content/lindewaard/, optionally a `_delete`
file naming example files to remove (one per line), optionally a `_grow` file with lines
`<file> <bytes>` that pad a file with comment lines to at least that size (so a huge file
need not be checked in), and `expected.txt`: the exact problem lines `validate` reports, in order. For valid cases `expected.txt` may be absent (no problems).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gitrepo import TODAY, copy_example
from stodocs.pipeline import check
from stodocs.sources import WorkingTree

CASES = Path(__file__).resolve().parent / "cases"
SPECIAL = {"expected.txt", "_delete", "_grow"}


def _cases(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


def _apply(case: Path, region: Path) -> None:
    for item in sorted(case.rglob("*")):
        if item.is_file() and item.name not in SPECIAL:
            target = region / item.relative_to(case)
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


@pytest.mark.parametrize("case", _cases("invalid"), ids=lambda p: p.name)
def test_invalid_case(case: Path, tmp_path: Path):
    expected = _expected(case)
    assert expected, f"{case.name}: an invalid case needs expected.txt with at least one problem"
    assert _problems(case, tmp_path) == expected


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.name)
def test_valid_case(case: Path, tmp_path: Path):
    assert _problems(case, tmp_path) == _expected(case)

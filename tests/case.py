#!/usr/bin/env python3
"""`make case NAME=<kind>/<name>`: make or change a case's change.patch by editing a copy of the fixture region.

The first run copies the fixture region, with the case's change.patch applied if it has one, to
output/case/<kind>/<name>/ and says so. Edit the files there (any editor), then run the same command again:
it writes tests/cases/<kind>/<name>/change.patch from the difference with the fixture, checks that the patch
gives back exactly the edited copy, and removes the copy. The case's other files (new files, `_delete`, `_grow`,
`expected.txt`) stay as they are; refresh expected.txt with `make cases`.
"""
from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from gitrepo import CASES, EXAMPLE, FIXTURE_REGION, GIT_ENV, apply_case, copy_example  # noqa: E402

EDITS = ROOT / "output" / "case"
PATCH = "change.patch"


def start(case: Path, edit: Path) -> None:
    """Put the fixture region, with `case`'s change.patch applied, in folder `edit`."""
    with tempfile.TemporaryDirectory() as scratch:
        region = copy_example(Path(scratch))
        if (case / PATCH).exists():
            only_patch = Path(scratch) / "patch-only" / case.name
            only_patch.mkdir(parents=True)
            shutil.copyfile(case / PATCH, only_patch / PATCH)
            apply_case(only_patch, region)
        edit.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(region, edit)


def patch_between(fixture: Path, edit: Path) -> bytes:
    """Return the unified diff from folder `fixture` to folder `edit`, paths as a/<file> and b/<file>."""
    with tempfile.TemporaryDirectory() as scratch:
        shutil.copytree(fixture, Path(scratch) / "a")
        shutil.copytree(edit, Path(scratch) / "b")
        env = dict(os.environ, **GIT_ENV, GIT_CEILING_DIRECTORIES=scratch)
        done = subprocess.run(["git", "diff", "--no-index", "--binary", "--no-prefix", "--no-color", "a", "b"],
                              cwd=scratch, capture_output=True, env=env, check=False)
        if done.returncode not in (0, 1):  # 1: the folders differ
            raise SystemExit(f"git diff failed: {done.stderr.decode(errors='replace')}")
        return done.stdout


def _same_tree(one: Path, other: Path) -> bool:
    compared = filecmp.dircmp(one, other)
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(one, other, compared.common_files, shallow=False)
    return not mismatch and not errors and all(_same_tree(one / d, other / d) for d in compared.common_dirs)


def finish(case: Path, edit: Path) -> str:
    """Write `case`'s change.patch from folder `edit` (no patch when it equals the fixture); return what happened."""
    patch = patch_between(FIXTURE_REGION, edit)
    target = case / PATCH
    if not patch:
        target.unlink(missing_ok=True)
        said = f"{edit} is the fixture region unchanged: no {target}"
    else:
        case.mkdir(parents=True, exist_ok=True)
        target.write_bytes(patch)
        said = f"wrote {target}"
    # The patch must give back exactly what was edited, applied the way the tests apply it.
    with tempfile.TemporaryDirectory() as scratch:
        only_patch = Path(scratch) / "patch-only" / case.name
        only_patch.mkdir(parents=True)
        if patch:
            shutil.copyfile(target, only_patch / PATCH)
        region = copy_example(Path(scratch) / "repo")
        apply_case(only_patch, region)
        if not _same_tree(region, edit):
            raise SystemExit(f"{target} does not give back {edit}; the edited copy is left in place")
    shutil.rmtree(edit)
    return said


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0].count("/") != 1:
        print("usage: make case NAME=<invalid|valid|casussen>/<name>", file=sys.stderr)
        return 2
    name = argv[0].strip("/")
    case, edit = CASES / name, EDITS / name
    if not edit.exists():
        start(case, edit)
        print(f"{edit}/ holds the fixture region ({EXAMPLE}){' with ' + name + '/change.patch' if (case / PATCH).exists() else ''}.\n"
              f"Edit it, then run `make case NAME={name}` again to write {case.relative_to(ROOT)}/{PATCH}.")
        return 0
    print(finish(case, edit))
    print("Now `make cases` refreshes its expected.txt; review the diff before committing.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Every folder under tests/cases/ is one case: the fixture region with a small change.

- `invalid/<name>/`: one validation rule each, with the problems it reports;
- `valid/<name>/`: content that must pass (warnings, if any, in expected.txt);
- `casussen/<name>/`: the changes that the impact and diff tests commit (the seed deck's two casussen,
  `zorgrobots` and `nieuwe-school`, and `typische-wijziging`); they must stay valid, so a new rule that
  rejects them fails here, by name.

A case folder holds only what it changes, applied to a copy of the frozen fixture region
(tests/fixture/content/lindewaard/, see gitrepo.py):
- `change.patch`: a unified diff against the fixture region, paths relative to the region folder
  (`a/begroting.yaml`, `b/begroting.yaml`), as `git diff --no-index` writes it;
- other files, copied in as they are: new files the fixture does not have (an image, a misnamed file), or a
  file that replaces the fixture's file outright (an empty file, a YAML bomb); a file that repeats more than
  two lines of the fixture's file is an edited copy and refused (put that change in change.patch);
- `_delete`: fixture files to remove, one per line;
- `_grow`: lines `<file> <bytes>` that pad a file with comment lines to at least that size;
- `expected.txt`: the exact problem lines `validate` reports, in order (absent for a clean valid case).

`make case NAME=<kind>/<name>` writes a case's change.patch from an edited copy of the fixture region (tests/case.py);
`make cases` rewrites every expected.txt from what validate reports now (and on a clean tree changes nothing);
review the diff before committing.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import case as case_tool
from gitrepo import CASES, FIXTURE_REGION, TODAY, apply_case, copy_example
from stodocs.pipeline import check
from stodocs.sources import WorkingTree

UPDATE = os.environ.get("STODOCS_UPDATE_CASES") == "1"


def _cases(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


def _problems(case: Path, tmp_path: Path) -> list[str]:
    apply_case(case, copy_example(tmp_path))
    checked = check(WorkingTree(tmp_path), None, TODAY)
    return [problem.format() for problem in checked.problems]


def _expected(case: Path) -> list[str]:
    path = case / "expected.txt"
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _compare(case: Path, actual: list[str]) -> None:
    """Compare with expected.txt; with `make cases`, rewrite it, touching only a file whose content changes."""
    path = case / "expected.txt"
    if UPDATE:
        text = "".join(f"{line}\n" for line in actual)
        if actual and (not path.exists() or path.read_text(encoding="utf-8") != text):
            path.write_text(text, encoding="utf-8")
        elif not actual and path.exists():
            path.unlink()
        return
    # One way to say "no problems": no expected.txt. An empty one would be deleted by `make cases`.
    assert not path.exists() or _expected(case), f"{case.name}: expected.txt is empty; delete it"
    assert actual == _expected(case)


@pytest.mark.parametrize("case", _cases("invalid"), ids=lambda p: p.name)
def test_invalid_case(case: Path, tmp_path: Path):
    actual = _problems(case, tmp_path)
    assert actual, f"{case.name}: an invalid case must report at least one problem"
    _compare(case, actual)


@pytest.mark.parametrize("case", _cases("valid") + _cases("casussen"), ids=lambda p: p.relative_to(CASES).as_posix())
def test_valid_case(case: Path, tmp_path: Path):
    _compare(case, _problems(case, tmp_path))


def test_a_patch_that_no_longer_fits_names_its_case(tmp_path: Path):
    case = tmp_path / "cases" / "stale-case"
    case.mkdir(parents=True)
    (case / "change.patch").write_text("--- a/regio.yaml\n+++ b/regio.yaml\n@@ -1,1 +1,1 @@\n-naam: Bestaat niet\n"
                                       "+naam: Ook niet\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match="case stale-case: change.patch no longer fits"):
        apply_case(case, copy_example(tmp_path / "repo"))


def test_an_edited_copy_of_a_fixture_file_is_refused(tmp_path: Path):
    case = tmp_path / "cases" / "copied-case"
    case.mkdir(parents=True)
    text = (FIXTURE_REGION / "regio.yaml").read_text(encoding="utf-8")
    (case / "regio.yaml").write_text(text.replace("Lindewaard", "Elders"), encoding="utf-8")
    with pytest.raises(AssertionError, match="case copied-case: regio.yaml repeats .* lines of the fixture's file"):
        apply_case(case, copy_example(tmp_path / "repo"))


def test_make_case_writes_the_change_patch_of_an_edited_copy(tmp_path: Path):
    """`make case`: the copy holds the case as it is; after an edit, its change.patch gives back the edited copy."""
    case, edit = tmp_path / "cases" / "invalid" / "new-rule", tmp_path / "edit" / "invalid" / "new-rule"
    case_tool.start(case, edit)
    assert (edit / "regio.yaml").read_bytes() == (FIXTURE_REGION / "regio.yaml").read_bytes()
    regio = (edit / "regio.yaml").read_text(encoding="utf-8")
    (edit / "regio.yaml").write_text(regio.replace("Lindewaard", "Elders", 1), encoding="utf-8")
    (edit / "begroting.yaml").unlink()
    case_tool.finish(case, edit)
    patch = (case / "change.patch").read_text(encoding="utf-8")
    assert "--- a/regio.yaml\n+++ b/regio.yaml\n" in patch and "deleted file mode" in patch
    assert not edit.exists()
    region = copy_example(tmp_path / "repo")
    apply_case(case, region)
    assert (region / "regio.yaml").read_text(encoding="utf-8") == regio.replace("Lindewaard", "Elders", 1)
    assert not (region / "begroting.yaml").exists()
    # Started again, the copy holds the case's change; left unedited, it writes the same patch.
    case_tool.start(case, edit)
    assert not (edit / "begroting.yaml").exists()
    case_tool.finish(case, edit)
    assert (case / "change.patch").read_text(encoding="utf-8") == patch

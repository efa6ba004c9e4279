"""The example under content/ is the users' own: it validates without a warning and builds with stodocs as a
user installs it. This is the only test module that reads content/ (conftest.py enforces it); every other
test runs against the frozen fixture region in tests/fixture/, so editing the example breaks nothing else."""
from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from gitrepo import EXAMPLE, FIXTURE_REGION, ROOT, TODAY, user_env
from stodocs.model import DOCUMENTS
from stodocs.pipeline import check
from stodocs.sources import WorkingTree

REGIONS = WorkingTree(ROOT).region_names()
# The test modules that lean hardest on the fixture's words and figures: goldens, totals, every case and
# casus, the impact of a change. (conftest.py's guard covers every other test; running the whole suite again
# here would double its time.)
FIXTURE_TESTS = ("tests/test_render.py", "tests/test_model.py", "tests/test_cases.py", "tests/test_validate.py",
                 "tests/test_impact.py")

# Where the users' example and the tests' frozen copy of it may differ, on purpose: file (relative to the region
# folder) -> (how many lines differ, why). A file missing from one side counts all its lines. Anything else that
# differs fails test_example_and_fixture_differ_only_where_intended, by name; so does an entry here that no longer
# matches, so this list stays exact.
INTENDED_DIFFERENCES = {
    # The example's rapportage 2026 got stands that agree with their own toelichting (commit f94e950); the
    # fixture keeps the earlier stands, which the rapportage golden (tests/golden/voortgangsrapportage-2026.html),
    # tests/test_reporting.py and tests/test_status.py read.
    "rapportages/2026/docentstages-scholing.md": (4, "stand deels instead of behaald, with its toelichting"),
    "rapportages/2026/keuzevakken-vmbo-mbo.md": (2, "'drie van de zes' instead of 'drie van de vijf'"),
    "rapportages/2026/praktijklokaal-energie.md": (4, "stand deels instead of behaald, with its toelichting "
                                                      "(the room at CSG Lindewaard in use since March 2025)"),
    "rapportages/2026/regie-monitoring.md": (5, "stand nog-niet with a toelichting that does not promise a date; "
                                                "the stuurgroep met six times in 2025 (reglement art. 3)"),
    # Issue 20, item 8: the example read as a reader reads it, made consistent. The fixture keeps its figures and
    # words, which the goldens, the hand figures of tests/test_administratie_*.py, test_reporting.py and
    # test_status.py read.
    "activiteiten.yaml": (12, "fablab: machines delivered April 2025 and used in a temporary room, opening "
                              "half a year late; the partners whose staff work on techniekroute-po and "
                              "techniekmiddagen-po"),
    "activiteitenplan.md": (2, "the fablab's delay as in the activity: half a year, opening January 2027"),
    "begroting.yaml": (26, "depreciation lines named as Bijlage 6 has them, with the machines' figures in the "
                           "toelichting instead of 'aanschaf EUR 432.000, 120 maanden'"),
    "meerjarenbegroting.md": (2, "depreciation periods as in Bijlage 6 (48 to 84 months)"),
    "rapportages/2026/fablab-lindewaard.md": (2, "half a year (not four months); the machines were bought in "
                                                 "April 2025, as Bijlage 6 says"),
    "rapportages/2026/rapportage.md": (6, "stuurgroep meetings per year; spending behind the budget said; "
                                          "'tot en met augustus' instead of 'tot nu toe'"),
    "rapportages/2026/techniekroute-po.md": (2, "started spring 2025, as the jaartaken and invoices say"),
    "rapportages/indieningen.yaml": (8, "the voortgangsrapportage 2026 recorded as ingediend before 1 October 2026"),
    "realisatie/afschrijvingen.yaml": (17, "machines that add up to the budget's EUR 3.600 and EUR 2.775 (+125) a "
                                           "month, invoiced in the month the budget starts charging"),
    "realisatie/personeel.yaml": (6, "no STO hours before an activity starts (2024-2025 hours on lines of "
                                     "activities that ran then)"),
    "realisatie/verantwoording.yaml": (14, "toelichtingen that agree with the rapportage and the plan"),
}


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines() if path.exists() else []


def _differing_lines(name: str) -> int:
    """Return how many lines of file `name` the example and the fixture do not share (0: identical)."""
    ours, theirs = ROOT / "content" / EXAMPLE / name, FIXTURE_REGION / name
    if ours.exists() and theirs.exists() and ours.read_bytes() == theirs.read_bytes():
        return 0
    diff = difflib.diff_bytes(difflib.unified_diff, _lines(theirs), _lines(ours), n=0, lineterm=b"")
    return sum(1 for line in diff if line[:1] in (b"+", b"-") and not line.startswith((b"+++", b"---")))


def test_example_and_fixture_differ_only_where_intended():
    """Name every file where content/<example> and the fixture differ; each must be listed, with its line count."""
    names = sorted(_files(ROOT / "content" / EXAMPLE) | _files(FIXTURE_REGION))
    found = {name: count for name in names if (count := _differing_lines(name))}
    expected = {name: count for name, (count, _) in INTENDED_DIFFERENCES.items()}
    unintended = [f"{name} ({count} lines)" for name, count in found.items() if expected.get(name) != count]
    stale = [name for name in expected if name not in found]
    assert not unintended and not stale, (
        f"content/{EXAMPLE} and tests/fixture differ where INTENDED_DIFFERENCES does not say so: {unintended}; "
        f"listed but no longer different: {stale}. Make the copies agree, or list the difference with its reason.")


def test_there_is_an_example_region():
    assert EXAMPLE in REGIONS


@pytest.mark.parametrize("region", REGIONS)
def test_region_validates_without_problems(region: str):
    checked = check(WorkingTree(ROOT), [region], TODAY)
    assert [p.format() for p in checked.problems] == []


def test_example_builds_with_the_installed_stodocs(installed, tmp_path):
    """The example, copied to a folder of its own, built into its PDFs (the four documents and its rapportages) by the `stodocs` command of a wheel."""
    shutil.copytree(ROOT / "content" / EXAMPLE, tmp_path / "content" / EXAMPLE)
    done = subprocess.run([str(installed.stodocs), "build", EXAMPLE], cwd=tmp_path, env=user_env(),
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    pdfs = sorted((tmp_path / "output" / EXAMPLE).glob("*.pdf"))
    reports = sorted(f"voortgangsrapportage-{folder.name}-buiten-git.pdf"
                     for folder in (tmp_path / "content" / EXAMPLE / "rapportages").iterdir() if folder.is_dir())
    # a rapportage's file name carries its status (rapportages/indieningen.yaml), as in voortgangsrapportage-2026-ingediend
    states = re.compile(r"-(?:voorlopig|ter-ondertekening|ingediend)(?=-buiten-git)")
    assert sorted(states.sub("", p.name) for p in pdfs) == sorted([f"{key}-buiten-git.pdf" for key in DOCUMENTS] + reports)
    naam = re.search(r"^naam: (.+)$", (tmp_path / "content" / EXAMPLE / "regio.yaml").read_text(encoding="utf-8"),
                     re.M).group(1)
    for pdf in pdfs:
        reader = PdfReader(pdf)
        assert len(reader.pages) >= 1 and naam in reader.pages[0].extract_text()


def test_editing_the_example_breaks_only_its_own_test(tmp_path):
    """Change a sentence and an amount in a copy of the example (the amount past the subsidy maximum), then run
    the example's test and the fixture's heaviest users in that copy: only the example's test notices."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("pyproject.toml", "build.py"):
        shutil.copyfile(ROOT / name, copy / name)
    for name in ("stodocs", "templates", "schemas", "tests", "content"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    region = copy / "content" / EXAMPLE
    _edit(region / "regioplan.md", "Tegelijk daalt het aantal leerlingen", "Tegelijk krimpt het aantal leerlingen")
    _edit(region / "begroting.yaml", "    prijs: 62500\n", "    prijs: 72500\n")
    own = f"tests/test_content.py::test_region_validates_without_problems[{EXAMPLE}]"
    env = dict(user_env(), PYTHONPATH=str(copy), PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rf", "-p", "no:cacheprovider", own, *FIXTURE_TESTS],
                          cwd=copy, env=env, capture_output=True, text=True, check=False)
    failed = re.findall(r"^FAILED (\S+)", done.stdout, re.M)
    assert failed == [own], done.stdout[-3000:]
    assert re.search(r"\b1 failed, \d{2,} passed\b", done.stdout), done.stdout[-3000:]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path}; pick another edit"
    path.write_text(text.replace(old, new), encoding="utf-8")

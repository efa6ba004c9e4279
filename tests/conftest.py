"""Shared fixtures: copies of the fixture region (see gitrepo.py), that region rendered to PDF once per session,
and stodocs installed from a wheel; plus the guard that keeps every test but test_content.py off content/."""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from gitrepo import EXAMPLE, FIXTURE, ROOT, GitRepo
from stodocs.diff.pipeline import compare_sources
from stodocs.model import DOCUMENTS, Region
from stodocs.pipeline import build, check
from stodocs.sources import GitRevision, Version, WorkingTree


# Property tests (test_properties.py). "small" is what `make test` runs: the same examples every run, nothing saved.
# "fuzz" is what `make fuzz` runs, round after round for ten minutes: new examples each round, and any failure
# saved in .hypothesis/ so the next run tries it first. Choose with --hypothesis-profile or HYPOTHESIS_PROFILE.
settings.register_profile("small", max_examples=40, derandomize=True, database=None, deadline=None,
                          print_blob=True)
settings.register_profile("fuzz", max_examples=1000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "small"))


def pytest_configure(config):
    config.addinivalue_line("markers", "weasyprint_warnings: the test expects WeasyPrint to log warnings")


# The users' example (content/) belongs to test_content.py alone; every other test reads the frozen fixture
# (tests/fixture/), so editing the example breaks no other test. An audit hook enforces it: from the end of
# collection on, opening or listing anything under content/ outside test_content.py fails where it happens.
EXAMPLE_CONTENT = ROOT / "content"
EXAMPLE_TESTS = "test_content.py"
_READS = ("open", "os.listdir", "os.scandir", "shutil.copytree", "shutil.copyfile")
_guard = {"on": False}


def _refuse_example_reads(event: str, args: tuple) -> None:
    if not _guard["on"] or event not in _READS or not args or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path = Path(os.fsdecode(args[0]))  # relative names may be relative to a folder's fd (rmtree), not the cwd
    if path == EXAMPLE_CONTENT or EXAMPLE_CONTENT in path.parents:
        raise RuntimeError(f"{path} is the users' example, read only by tests/{EXAMPLE_TESTS}; "
                           "read the fixture region instead (gitrepo.FIXTURE, GitRepo.example)")


sys.addaudithook(_refuse_example_reads)


def pytest_collection_finish(session):
    _guard["on"] = True


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _guard["on"] = item.path.name != EXAMPLE_TESTS
    yield
    _guard["on"] = True


def pytest_sessionfinish(session):
    _guard["on"] = False


def document_of_file(name: str) -> str:
    """Return the document key of a written file: `voortgangsrapportage-2026-concept-1a2b3c4d5e.pdf` -> its first part."""
    stem = name.rsplit("-", 1)[0]
    for state in ("-concept", "-voorlopig", "-ter-ondertekening", "-ingediend"):
        stem = stem.removesuffix(state)
    return stem


@dataclass(frozen=True)
class ExampleBuild:
    repo: Path
    version: Version
    region: Region
    paths: dict[str, Path]  # document key (regioplan, ..., voortgangsrapportage-2026) -> written PDF

    def pdf(self, key: str) -> bytes:
        return self.paths[key].read_bytes()


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> ExampleBuild:
    """The example region's four PDFs, built from a commit through the whole pipeline."""
    repo = GitRepo.example(tmp_path_factory.mktemp("example") / "repo")
    repo.commit("Regioplan Lindewaard", date="2026-03-14T10:00:00+01:00")
    source = WorkingTree(repo.root)
    built = build(source, [EXAMPLE], None, "pdf", "pdf/ua-1", tmp_path_factory.mktemp("output"), workers=2)
    # every document by its key: the four plan documents and the rapportage (voortgangsrapportage-2026)
    paths = {document_of_file(p.name): p for p in built.written}
    assert set(DOCUMENTS) <= set(paths), sorted(paths)
    return ExampleBuild(repo.root, source.version(), check(source, [EXAMPLE]).regions[EXAMPLE], paths)


@pytest.fixture(scope="session")
def example_region() -> Region:
    """The fixture region as it is in this working tree (no git needed)."""
    checked = check(WorkingTree(FIXTURE), [EXAMPLE])
    assert checked.ok, [p.format() for p in checked.problems]
    return checked.regions[EXAMPLE]


@pytest.fixture(autouse=True)
def weasyprint_is_quiet(request, caplog):
    """Fail a test when WeasyPrint logs a warning or error it did not expect."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    yield
    if request.node.get_closest_marker("weasyprint_warnings"):
        return
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING]
    assert not logged, f"WeasyPrint logged: {logged}"


@pytest.fixture
def folder(tmp_path: Path) -> GitRepo:
    """A folder holding build.py and a copy of the example region, not in git."""
    return GitRepo.example(tmp_path / "repo")


@pytest.fixture
def repo(folder: GitRepo) -> GitRepo:
    """A git repository with one commit: build.py and the example region."""
    folder.commit("Regioplan Lindewaard")
    return folder


@pytest.fixture(scope="session")
def changed_repo(tmp_path_factory) -> GitRepo:
    """A repository with two commits: the fixture region (tag v1.0), then tests/cases/casussen/typische-wijziging.

    That change: one word in the regioplan ("daalt" -> "krimpt"), a budget shift of EUR 10.000 between two lines
    (the increase without toelichting), a new activity, a renamed activity, and two partners and two people
    swapped in their lists (a reorder, which is no change).
    """
    repo = GitRepo.example(tmp_path_factory.mktemp("changed") / "repo")
    repo.commit("Regioplan Lindewaard", tag="v1.0")
    repo.apply_case("casussen/typische-wijziging")
    repo.commit("Wijziging: leskisten, zorgrobots")
    return repo


@pytest.fixture(scope="session")
def compared(changed_repo):
    """The example region compared from tag v1.0 to the changed commit."""
    [result] = compare_sources(GitRevision(changed_repo.root, "v1.0"), GitRevision(changed_repo.root, "HEAD"))
    return result


@dataclass(frozen=True)
class Installed:
    """stodocs as a user installs it: a wheel built from this project, in a venv outside the tree."""

    python: Path  # the venv's interpreter
    stodocs: Path  # the console script
    wheel: Path


# What a wheel is built from: the project files pyproject.toml names, nothing else of the working tree.
PACKAGED = ("pyproject.toml", "README.md", "stodocs", "templates", "schemas")


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Installed:
    """Build a wheel from a clean copy of the project and install it in a new venv (the tests' own
    dependencies are borrowed from this venv, so nothing is downloaded and the install takes seconds)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # building writes build/ and *.egg-info into the source: never into the tree
    source.mkdir()
    for name in PACKAGED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    env = dict(os.environ, PYTHONWARNINGS="ignore")  # setuptools' notes on the build are not ours to act on
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", str(work / "dist"), str(source)],
                   check=True, capture_output=True, env=env)
    (wheel,) = (work / "dist").glob("stodocs-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    subprocess.run([*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True, env=env)
    # The dependencies (WeasyPrint, Jinja2, ...) come from this venv, after the venv's own site-packages; a
    # path in a .pth file does not run that folder's own .pth files, so the editable stodocs stays out.
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    return Installed(python, venv / "bin" / "stodocs", wheel)


@dataclass(frozen=True)
class ExampleSite:
    repo: GitRepo
    folder: Path  # the site, as `build.py site --output` wrote it
    approved: tuple[str, ...]  # the commits the stuurgroep approved, oldest first


SITE_DAY = "2026-12-15"  # the tests' today (gitrepo.TODAY): the status of the deadlines on that day


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> ExampleSite:
    """The fixture region's review site, built once per session by the command a user runs.

    History: version 1 approved, then the typical change approved as version 2, then one more change (committed)
    that is not yet approved; so the site holds two redlines: 1 -> 2 and 2 -> today.
    """
    repo = GitRepo.example(tmp_path_factory.mktemp("site") / "repo")
    first = repo.commit("Regioplan Lindewaard")
    record = repo.file("vaststellingen.yaml")
    entry = ("  - commit: {commit}\n    datum: {datum}\n    orgaan: stuurgroep\n    kenmerk: {kenmerk}\n"
             "    samenvatting: {samenvatting}\n")
    record.write_text("vaststellingen:\n" + entry.format(commit=first, datum="2026-03-10", kenmerk="SG-2026-03 besluit 4",
                                                         samenvatting="Regioplan 2025-2028 vastgesteld."), encoding="utf-8")
    repo.commit("Vaststelling 10 maart 2026")
    repo.apply_case("casussen/typische-wijziging")
    second = repo.commit("Wijziging: leskisten, zorgrobots")
    repo.append("vaststellingen.yaml", entry.format(commit=second, datum="2026-04-20", kenmerk="SG-2026-05 besluit 2",
                                                    samenvatting="Leskisten en zorgrobots toegevoegd."))
    repo.commit("Vaststelling 20 april 2026")
    repo.replace("regioplan.md", "een sterke maakindustrie", "een sterke en vernieuwende maakindustrie")
    repo.commit("Regioplan: de maakindustrie vernieuwt")
    folder = tmp_path_factory.mktemp("site-output") / "site"
    done = repo.run_cli("site", "--output", str(folder), "--datum", SITE_DAY)
    assert done.returncode == 0, done.stdout + done.stderr
    return ExampleSite(repo, folder, (first, second))

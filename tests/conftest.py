"""Shared fixtures: copies of the example region, and the example rendered to PDF once per session."""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from stodocs.model import DOCUMENTS, Region
from stodocs.pipeline import build, check
from stodocs.sources import Version, WorkingTree

from gitrepo import GitRepo

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "lindewaard"
# A fixed "today" far from any deadline of the regulation, so no deadline warning appears.
TODAY = date(2025, 6, 1)
COMMIT_DATE = "2026-03-14T10:00:00+01:00"


def pytest_configure(config):
    config.addinivalue_line("markers", "weasyprint_warnings: the test expects WeasyPrint to log warnings")


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.org",
               GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.org",
               GIT_AUTHOR_DATE=COMMIT_DATE, GIT_COMMITTER_DATE=COMMIT_DATE)
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


def make_repo(path: Path, commit: bool = True) -> Path:
    """Copy build.py and the example region into `path`, as a git repository with one commit."""
    path.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "build.py", path / "build.py")
    shutil.copytree(ROOT / "content" / EXAMPLE, path / "content" / EXAMPLE)
    if commit:
        git(path, "init", "-q", "-b", "main")
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", "Example region")
    return path


@dataclass(frozen=True)
class ExampleBuild:
    repo: Path
    version: Version
    region: Region
    paths: dict[str, Path]  # document key -> written PDF

    def pdf(self, key: str) -> bytes:
        return self.paths[key].read_bytes()


@pytest.fixture(scope="session")
def example_repo(tmp_path_factory) -> Path:
    return make_repo(tmp_path_factory.mktemp("repo"))


@pytest.fixture(scope="session")
def example_build(example_repo, tmp_path_factory) -> ExampleBuild:
    """The example region's four PDFs, built from a commit through the whole pipeline."""
    source = WorkingTree(example_repo)
    built = build(source, [EXAMPLE], None, "pdf", "pdf/ua-1", tmp_path_factory.mktemp("output"))
    paths = {key: next(p for p in built.written if p.name.startswith(f"{key}-")) for key in DOCUMENTS}
    return ExampleBuild(example_repo, source.version(), check(source, [EXAMPLE]).regions[EXAMPLE], paths)


@pytest.fixture(scope="session")
def example_region() -> Region:
    """The example region as it is in this working tree (no git needed)."""
    checked = check(WorkingTree(ROOT), [EXAMPLE])
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


def copy_example(root: Path, name: str = EXAMPLE) -> Path:
    """Copy the example region to `root/content/<name>` and return that folder."""
    target = root / "content" / name
    shutil.copytree(ROOT / "content" / EXAMPLE, target)
    return target


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository root holding a copy of the example region."""
    copy_example(tmp_path)
    return tmp_path

# --- diffs: a repository with a typical change on top of the example region ----------------------

NEW_ACTIVITY = """
  - id: zorgrobots
    naam: Zorgrobots in de praktijk
    doelstelling: lob-en-studiekeuze
    trekker: fatima-ouali
    partners: [het-waardcollege, zorggroep-de-waard]
    start: 2026-09
    eind: 2028-06
    status: gepland
    omschrijving: |
      Leerlingen werken met zorgrobots in een praktijklokaal van Het Waardcollege.
    resultaten:
      - Twee praktijkopdrachten met zorgrobots per schooljaar.
"""


@pytest.fixture(scope="session")
def changed_repo(tmp_path_factory) -> GitRepo:
    """A repository with two commits: the example region (tag v1.0), then a set of typical changes.

    The changes: one word in the regioplan ("daalt" -> "krimpt"), a budget shift of EUR 10.000 between
    two lines (the increase without toelichting), a new activity, a renamed activity, and two partners
    and two people swapped in their lists (a reorder, which is no change).
    """
    repo = GitRepo(tmp_path_factory.mktemp("changed") / "repo")
    repo.add_region()
    repo.commit("Regioplan Lindewaard", tag="v1.0")
    region = "content/lindewaard"
    repo.replace(f"{region}/regioplan.md", "Tegelijk daalt het aantal leerlingen", "Tegelijk krimpt het aantal leerlingen")
    repo.replace(f"{region}/begroting.yaml", "    aantal: 40\n    eenheid: leskist", "    aantal: 48\n    eenheid: leskist")
    repo.replace(f"{region}/begroting.yaml",
                 "    aantal: 2600\n    eenheid: uur\n    prijs: 50\n",
                 "    aantal: 2400\n    eenheid: uur\n    prijs: 50\n    toelichting: Uren verschoven naar leskisten.\n")
    text = repo.path(f"{region}/activiteiten.yaml").read_text(encoding="utf-8")
    repo.path(f"{region}/activiteiten.yaml").write_text(text.rstrip("\n") + "\n" + NEW_ACTIVITY, encoding="utf-8")
    repo.replace(f"{region}/activiteiten.yaml", "naam: Techniekfestival en regionale doe-dagen",
                 "naam: Techniekfestival en doe-dagen in de regio")
    partners = repo.path(f"{region}/partners.yaml").read_text(encoding="utf-8")
    blocks = partners.split("\n\n")
    blocks[1], blocks[2] = blocks[2], blocks[1]
    repo.path(f"{region}/partners.yaml").write_text("\n\n".join(blocks), encoding="utf-8")
    repo.replace(f"{region}/personen.yaml",
                 "  - id: linda-hoekstra\n    naam: Linda Hoekstra\n    functie: werkgroeplid\n    rol: uitvoerend\n"
                 "    partner: cbs-het-kompas\n\n", "")
    repo.replace(f"{region}/personen.yaml", "  # Ondersteunende rol\n",
                 "  - id: linda-hoekstra\n    naam: Linda Hoekstra\n    functie: werkgroeplid\n    rol: uitvoerend\n"
                 "    partner: cbs-het-kompas\n\n  # Ondersteunende rol\n")
    repo.commit("Wijziging: leskisten, zorgrobots")
    return repo


@pytest.fixture(scope="session")
def compared(changed_repo):
    """The example region compared from tag v1.0 to the changed commit."""
    from stodocs.diff.pipeline import compare_sources
    from stodocs.sources import GitRevision
    [result] = compare_sources(GitRevision(changed_repo.root, "v1.0"), GitRevision(changed_repo.root, "HEAD"))
    return result

"""Shared fixtures: copies of the example region (see gitrepo.py), and the example rendered to PDF once per session."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pytest

from casussen import typical_change
from gitrepo import EXAMPLE, FIXTURE, GitRepo
from stodocs.diff.pipeline import compare_sources
from stodocs.model import DOCUMENTS, Region
from stodocs.pipeline import build, check
from stodocs.sources import GitRevision, Version, WorkingTree


def pytest_configure(config):
    config.addinivalue_line("markers", "weasyprint_warnings: the test expects WeasyPrint to log warnings")


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
    built = build(source, [EXAMPLE], None, "pdf", "pdf/ua-1", tmp_path_factory.mktemp("output"))
    # every document by its key: the four plan documents and the rapportage (voortgangsrapportage-2026)
    paths = {p.name.rsplit("-", 1)[0]: p for p in built.written}
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
    """A repository with two commits: the example region (tag v1.0), then casussen.typical_change."""
    repo = GitRepo.example(tmp_path_factory.mktemp("changed") / "repo")
    repo.commit("Regioplan Lindewaard", tag="v1.0")
    typical_change(repo)
    repo.commit("Wijziging: leskisten, zorgrobots")
    return repo


@pytest.fixture(scope="session")
def compared(changed_repo):
    """The example region compared from tag v1.0 to the changed commit."""
    [result] = compare_sources(GitRevision(changed_repo.root, "v1.0"), GitRevision(changed_repo.root, "HEAD"))
    return result

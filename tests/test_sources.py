"""The working tree and a git revision read the same content through one interface."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import copy_example
from stodocs.sources import MAX_FILE_BYTES, GitRevision, MissingRevision, WorkingTree


def _git(root: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org", GIT_AUTHOR_DATE="2025-03-01T12:00:00Z",
               GIT_COMMITTER_DATE="2025-03-01T12:00:00Z", GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_SYSTEM="/dev/null")
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture
def git_repo(tmp_path: Path) -> Path:
    copy_example(tmp_path)
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "voorbeeld")
    return tmp_path


def test_working_tree_and_revision_read_the_same_content(git_repo: Path):
    tree, rev = WorkingTree(git_repo), GitRevision(git_repo, "HEAD")
    assert tree.region_names() == rev.region_names() == ["lindewaard"]
    assert tree.files("lindewaard") == rev.files("lindewaard")
    assert "content/lindewaard/begroting.yaml" in tree.files("lindewaard")
    for path in tree.files("lindewaard"):
        assert tree.read(path).data == rev.read(path).data


def test_revision_does_not_see_uncommitted_changes(git_repo: Path):
    (git_repo / "content/lindewaard/regio.yaml").write_text("naam: gewijzigd\n", encoding="utf-8")
    path = "content/lindewaard/regio.yaml"
    assert WorkingTree(git_repo).read(path).data == b"naam: gewijzigd\n"
    assert GitRevision(git_repo, "HEAD").read(path).data != b"naam: gewijzigd\n"
    assert WorkingTree(git_repo).version().dirty


def test_version_comes_from_the_commit_not_the_clock(git_repo: Path):
    version = GitRevision(git_repo, "HEAD").version()
    assert version.date.isoformat() == "2025-03-01T12:00:00+00:00"
    assert not WorkingTree(git_repo).version().dirty


def test_missing_revision_says_how_to_fetch(git_repo: Path):
    with pytest.raises(MissingRevision) as raised:
        GitRevision(git_repo, "v9.9")
    assert raised.value.rev == "v9.9"
    assert "niet gevonden" in raised.value.message and "git fetch origin v9.9" in raised.value.message


def test_missing_revision_in_a_shallow_clone_says_unshallow(git_repo: Path, tmp_path_factory):
    (git_repo / "content/lindewaard/regio.yaml").write_text("naam: twee\n", encoding="utf-8")
    _git(git_repo, "commit", "-qam", "twee")
    first = _git(git_repo, "rev-parse", "HEAD~1").strip()
    clone = tmp_path_factory.mktemp("clone")
    _git(clone, "clone", "-q", "--depth", "1", f"file://{git_repo}", "r")
    with pytest.raises(MissingRevision) as raised:
        GitRevision(clone / "r", first)
    assert "git fetch --unshallow" in raised.value.message


def test_symlinks_are_refused_in_tree_and_revision(git_repo: Path, tmp_path_factory):
    outside = tmp_path_factory.mktemp("buiten") / "geheim.yaml"
    outside.write_text("naam: geheim\n", encoding="utf-8")
    link = git_repo / "content/lindewaard/koppeling.yaml"
    link.symlink_to(outside)
    _git(git_repo, "add", "-A")
    _git(git_repo, "commit", "-qm", "koppeling")
    for source in (WorkingTree(git_repo), GitRevision(git_repo, "HEAD")):
        read = source.read("content/lindewaard/koppeling.yaml")
        assert read.data is None and "symbolische koppeling" in read.problem


def test_oversized_files_are_refused_unread(git_repo: Path):
    big = git_repo / "content/lindewaard/begroting.yaml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    _git(git_repo, "commit", "-qam", "groot")
    for source in (WorkingTree(git_repo), GitRevision(git_repo, "HEAD")):
        read = source.read("content/lindewaard/begroting.yaml")
        assert read.data is None and read.problem.startswith("is te groot (2.000.001 bytes; maximaal 2.000.000)")


def test_hidden_and_underscore_folders_are_not_regions(tmp_path: Path):
    copy_example(tmp_path)
    (tmp_path / "content/.concept").mkdir()
    (tmp_path / "content/_sjablonen").mkdir()
    assert WorkingTree(tmp_path).region_names() == ["lindewaard"]


def test_working_tree_outside_git_has_a_version(tmp_path: Path):
    copy_example(tmp_path)
    version = WorkingTree(tmp_path).version()
    assert not version.in_git and version.label == "buiten git"

"""The working tree and a git revision read the same content through one interface."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from gitrepo import GitRepo, copy_example
from stodocs.pipeline import check
from stodocs.problems import UsageError
from stodocs.sources import MAX_FILE_BYTES, GitRevision, MissingRevision, WorkingTree


@pytest.fixture
def repo(folder: GitRepo) -> GitRepo:
    """The example committed on a known date."""
    folder.commit("voorbeeld", date="2025-03-01T12:00:00Z")
    return folder


def test_working_tree_and_revision_read_the_same_content(repo: GitRepo):
    tree, rev = WorkingTree(repo.root), GitRevision(repo.root, "HEAD")
    assert tree.region_names() == rev.region_names() == ["lindewaard"]
    assert tree.files("lindewaard") == rev.files("lindewaard")
    assert "content/lindewaard/begroting.yaml" in tree.files("lindewaard")
    for path in tree.files("lindewaard"):
        assert tree.read(path).data == rev.read(path).data


def test_revision_does_not_see_uncommitted_changes(repo: GitRepo):
    repo.file("regio.yaml").write_text("naam: gewijzigd\n", encoding="utf-8")
    path = "content/lindewaard/regio.yaml"
    assert WorkingTree(repo.root).read(path).data == b"naam: gewijzigd\n"
    assert GitRevision(repo.root, "HEAD").read(path).data != b"naam: gewijzigd\n"
    assert WorkingTree(repo.root).version().dirty


def test_version_comes_from_the_commit_not_the_clock(repo: GitRepo):
    version = GitRevision(repo.root, "HEAD").version()
    assert version.date.isoformat() == "2025-03-01T12:00:00+00:00"
    assert not WorkingTree(repo.root).version().dirty


def test_missing_revision_says_how_to_fetch(repo: GitRepo):
    with pytest.raises(MissingRevision) as raised:
        GitRevision(repo.root, "v9.9")
    assert raised.value.rev == "v9.9"
    assert "niet gevonden" in raised.value.message and "git fetch origin v9.9" in raised.value.message


def test_missing_revision_in_a_shallow_clone_says_unshallow(repo: GitRepo, tmp_path_factory):
    repo.file("regio.yaml").write_text("naam: twee\n", encoding="utf-8")
    repo.commit("twee")
    first = repo.git("rev-parse", "HEAD~1")
    clone = repo.clone(tmp_path_factory.mktemp("clone") / "r", depth=1)
    with pytest.raises(MissingRevision) as raised:
        GitRevision(clone.root, first)
    assert "git fetch --unshallow" in raised.value.message


def test_symlinks_are_refused_in_tree_and_revision(repo: GitRepo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("buiten") / "geheim.yaml"
    outside.write_text("naam: geheim\n", encoding="utf-8")
    repo.file("koppeling.yaml").symlink_to(outside)
    repo.commit("koppeling")
    for source in (WorkingTree(repo.root), GitRevision(repo.root, "HEAD")):
        read = source.read("content/lindewaard/koppeling.yaml")
        assert read.data is None and "symbolische koppeling" in read.problem


def test_oversized_files_are_refused_unread(repo: GitRepo):
    repo.file("begroting.yaml").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    repo.commit("groot")
    for source in (WorkingTree(repo.root), GitRevision(repo.root, "HEAD")):
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


def test_a_linked_region_folder_is_refused_and_never_walked(repo: GitRepo, tmp_path: Path):
    outside = tmp_path / "elders"
    (outside / "geheim").mkdir(parents=True)
    (outside / "geheim" / "wachtwoorden.yaml").write_text("x: 1\n", encoding="utf-8")
    (repo.root / "content" / "evil").symlink_to(outside)
    tree = WorkingTree(repo.root)
    assert tree.region_names() == ["lindewaard"] and tree.refused_regions() == ["evil"]
    checked = check(tree, None)
    assert [p.format() for p in checked.problems] == [
        "content/evil: deze regiomap is een symbolische koppeling naar een andere plek; "
        "zet de bestanden van de regio zelf in deze map"]
    assert "lindewaard" in checked.regions


def test_a_submodule_and_a_name_that_is_not_utf8_in_a_revision_are_problems_not_crashes(repo: GitRepo):
    # A gitlink (submodule entry) named like an image, and a file whose name is not UTF-8, put in by hand.
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{repo.head},content/lindewaard/logo.png")
    blob = subprocess.run(["git", "-C", str(repo.root), "hash-object", "-w", "--stdin"], input=b"x",
                          capture_output=True, check=True).stdout.strip()
    subprocess.run([b"git", b"-C", os.fsencode(repo.root), b"update-index", b"--add", b"--cacheinfo",
                    b"100644," + blob + b",content/lindewaard/notitie\xff.txt"], check=True)
    repo.git("commit", "-q", "-m", "hostile tree")
    checked = check(GitRevision(repo.root, "HEAD"), None)
    assert [p.format() for p in checked.problems] == [
        "content/lindewaard/logo.png:1: is geen gewoon bestand maar een verwijzing naar een andere repository "
        "(submodule); zet het bestand zelf in de map",
        "content/lindewaard/notitie\ufffd.txt:1: waarschuwing: wordt niet gebruikt: alleen .yaml, .md en "
        "afbeeldingen (png, jpg, svg) horen in een regiomap"]


def test_a_linked_content_folder_is_a_usage_error(tmp_path: Path):
    elsewhere = tmp_path / "elders"
    copy_example(elsewhere)
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "content").symlink_to(elsewhere / "content")
    with pytest.raises(UsageError, match="content/ is een symbolische koppeling"):
        WorkingTree(tmp_path / "repo").region_names()


def test_reading_refuses_paths_that_leave_content(repo: GitRepo):
    tree = WorkingTree(repo.root)
    for path in ("content/lindewaard/../../build.py", "README.md", "/etc/passwd"):
        assert tree.read(path).data is None


def test_content_ids_are_the_blob_hashes_of_a_clean_region(repo: GitRepo):
    tree, rev = WorkingTree(repo.root), GitRevision(repo.root, "HEAD")
    ids = rev.content_ids("lindewaard")
    assert tree.content_ids("lindewaard") == ids and "begroting.yaml" in ids
    assert ids["regio.yaml"] == repo.git("rev-parse", "HEAD:content/lindewaard/regio.yaml")
    assert "regio.yaml" not in rev.content_ids("lindewaard", frozenset({"regio.yaml"}))
    # An uncommitted change makes the working tree's content unknown, unless the file is left out.
    repo.replace("regio.yaml", "naam: ", "naam:  ")
    assert tree.content_ids("lindewaard") is None
    assert tree.content_ids("lindewaard", frozenset({"regio.yaml"})) == rev.content_ids("lindewaard",
                                                                                        frozenset({"regio.yaml"}))
    (repo.file("nieuw.md")).write_text("# Nieuw\n", encoding="utf-8")
    assert tree.content_ids("lindewaard", frozenset({"regio.yaml"})) is None


def test_content_ids_outside_git_are_unknown(folder: GitRepo):
    assert WorkingTree(folder.root).content_ids("lindewaard") is None


def test_every_git_call_goes_through_sources():
    """Only sources.py runs programs (git); every other module asks a source or a function of sources.py."""
    import ast

    import stodocs
    package = Path(stodocs.__file__).parent
    offenders = []
    for module in sorted(package.rglob("*.py")):
        if module.name == "sources.py" and module.parent == package:
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{alias.name}" for alias in node.names]
            offenders += [f"{module.relative_to(package)}: {name}" for name in names
                          if name.split(".")[0] in ("subprocess", "pygit2", "git")
                          or name.endswith(("sources.run_git", "sources.list_tree"))]
    assert offenders == []

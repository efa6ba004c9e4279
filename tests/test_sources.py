"""The working tree and a git revision read the same content through one interface."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from gitrepo import GitRepo, copy_example
from stodocs import sources
from stodocs.pipeline import check
from stodocs.problems import UsageError
from stodocs.sources import MAX_FILE_BYTES, GitRevision, MissingRevision, WorkingTree, read_regular


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


def validate_bounded(repo: GitRepo) -> subprocess.CompletedProcess:
    """Run `build.py validate` as a user would, bounded by a time-out that only guards against a hang."""
    import sys
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull)
    return subprocess.run([sys.executable, "build.py", "validate"], cwd=repo.root, capture_output=True, text=True,
                          timeout=120, env=env, check=False)


def test_a_fifo_named_like_a_content_file_or_image_is_a_problem_not_a_hang(folder: GitRepo):
    folder.file("regioplan.md").unlink()
    os.mkfifo(folder.file("regioplan.md"))
    os.mkfifo(folder.file("kaart.png"))
    result = validate_bounded(folder)
    assert result.returncode == 1, result.stderr
    for name in ("regioplan.md", "kaart.png"):
        assert (f"content/lindewaard/{name}:1: is geen gewoon bestand maar een named pipe (FIFO); zet een gewoon "
                "bestand in de map, of haal dit weg") in result.stderr
    assert "Traceback" not in result.stderr


def test_a_device_is_never_read(folder: GitRepo):
    read = read_regular(Path("/dev/zero"), "content/lindewaard/regioplan.md")  # endless: read whole, MemoryError
    assert read.data is None and "maar een apparaat" in read.problem
    device = folder.file("partners.yaml")
    device.unlink()
    try:
        os.mknod(device, 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # what /dev/zero is
    except (PermissionError, OSError):
        pytest.skip("this machine may not make a device file; /dev/zero itself was checked above")
    result = validate_bounded(folder)
    assert result.returncode == 1
    assert "content/lindewaard/partners.yaml:1: is geen gewoon bestand maar een apparaat" in result.stderr


def test_reading_stops_one_byte_past_the_limit(tmp_path: Path, monkeypatch):
    """A file that is larger than its size said (it grew, or lies) is read no further than the limit plus one."""
    big = tmp_path / "content" / "r" / "regio.yaml"
    big.parent.mkdir(parents=True)
    big.write_bytes(b"x" * 100)
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 10)
    reads = []
    real_fdopen = os.fdopen

    def counting(*args, **kwargs):
        handle = real_fdopen(*args, **kwargs)
        original = handle.read
        handle_read = lambda n=-1: reads.append(n) or original(n)  # noqa: E731
        return type("H", (), {"read": staticmethod(handle_read), "__enter__": lambda s: s,
                              "__exit__": lambda s, *a: handle.close()})()
    monkeypatch.setattr(os, "fdopen", counting)
    monkeypatch.setattr(os, "fstat", lambda fd, real=os.fstat: type("S", (), {"st_mode": real(fd).st_mode,
                                                                              "st_size": 5})())
    read = sources.read_regular(big, "content/r/regio.yaml")
    assert read.data is None and "meer dan 10 bytes" in read.problem
    assert sum(n for n in reads if n > 0) <= 11 and -1 not in reads


def test_a_number_too_long_for_python_is_te_groot_at_its_line(folder: GitRepo):
    folder.replace("regio.yaml", "registratienummer: STO25-0417", "registratienummer: " + "9" * 5000)
    result = validate_bounded(folder)
    assert result.returncode == 1
    assert "content/lindewaard/regio.yaml:4: dit getal is te groot" in result.stderr
    assert "interne fout" not in result.stderr


@pytest.fixture
def tool_repo(repo: GitRepo) -> GitRepo:
    """A region's repository that holds stodocs itself (code, templates, schemas), as the project layout has it."""
    from gitrepo import ROOT
    for name in ("stodocs", "templates", "schemas"):
        shutil.copytree(ROOT / name, repo.root / name, ignore=shutil.ignore_patterns("__pycache__"))
    repo.commit("stodocs in de repository")
    return repo


@pytest.mark.parametrize("edit", ["templates/print.css", "stodocs/formatting.py", "schemas/regio.yaml", "build.py"])
def test_a_changed_template_schema_or_code_makes_the_build_a_concept(tool_repo: GitRepo, edit):
    clean = tool_repo.run_cli("build", "--format", "html", "--output", "uit")
    assert clean.returncode == 0, clean.stderr
    assert not list((tool_repo.root / "uit").rglob("*concept*"))
    with open(tool_repo.root / edit, "a", encoding="utf-8") as out:
        out.write("\n/* gewijzigd */\n" if edit.endswith(".css") else "\n# gewijzigd\n")
    changed = tool_repo.run_cli("build", "--format", "html", "--output", "uit2")
    assert changed.returncode == 0, changed.stderr
    built = sorted((tool_repo.root / "uit2").rglob("*.html"))
    assert len(built) == len(list((tool_repo.root / "uit").rglob("*.html"))) >= 4
    assert all(path.name.endswith("-concept.html") for path in built), built


@pytest.mark.skipif(os.geteuid() != 0, reason="making a folder another user's needs root")
def test_git_refusing_the_repository_is_reported_never_taken_as_outside_git(repo: GitRepo):
    for path in [repo.root, *repo.root.rglob("*")]:
        os.lchown(path, 12345, 12345)  # another user's folder: git says "dubious ownership"
    for command in (("validate",), ("build", "--format", "html")):
        result = repo.run_cli(*command)
        assert result.returncode == 1
        assert result.stderr.startswith(f"fout: git weigert de repository in {repo.root}")
        assert "safe.directory" in result.stderr
    assert not (repo.root / "output").exists()


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

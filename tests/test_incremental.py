"""The incremental build: a region is built again exactly when something it depends on changed, the output is
the same as a full build's, and a damaged output folder (a deleted file, a killed build, a broken manifest) is
repaired by the next build. HTML output, so no test pays for WeasyPrint; -j is tested on PDFs in test_pdf.py."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from gitrepo import EXAMPLE, TODAY, GitRepo
from stodocs import incremental, pipeline
from stodocs.incremental import MANIFEST, region_key
from stodocs.sources import WorkingTree

OTHER = "noordkwartier"


@pytest.fixture
def two(tmp_path) -> GitRepo:
    """A repository with two regions, both committed."""
    repo = GitRepo.example(tmp_path / "repo")
    repo.add_region(OTHER)
    repo.commit("twee regio's")
    return repo


def build(repo: GitRepo, output: Path | None = None, **options) -> pipeline.Built:
    options.setdefault("private", None)
    return pipeline.build(WorkingTree(repo.root), None, TODAY, options.pop("fmt", "html"),
                          options.pop("variant", "pdf/ua-1"), output or repo.root / "output", **options)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != MANIFEST}


def regions_written(built: pipeline.Built, output: Path) -> set[str]:
    return {p.relative_to(output).parts[0] for p in built.written}


def test_a_rebuild_with_nothing_changed_writes_nothing(two):
    first = build(two)
    before = {p: p.stat().st_mtime_ns for p in (two.root / "output").rglob("*") if p.is_file()}
    again = build(two)
    assert len(first.written) == 10 and again.written == [] and again.unchanged == [EXAMPLE, OTHER]
    assert {p: p.stat().st_mtime_ns for p in (two.root / "output").rglob("*") if p.is_file()} == before


def test_a_change_to_one_region_builds_that_region_alone_and_gives_what_a_full_build_gives(two, tmp_path):
    build(two)
    two.replace("regioplan.md", "sterke maakindustrie", "krachtige maakindustrie", region=OTHER)
    built = build(two)
    assert regions_written(built, two.root / "output") == {OTHER} and built.unchanged == [EXAMPLE]
    full = build(two, tmp_path / "full", force=True)
    assert len(full.written) == 10
    # the folder built step by step holds every file of a full build, byte for byte (and the older versions)
    assert files(tmp_path / "full").items() <= files(two.root / "output").items()


def test_each_region_carries_the_last_commit_that_changed_it(two):
    first = two.head
    build(two)
    two.replace("regioplan.md", "sterke maakindustrie", "krachtige maakindustrie", region=OTHER)
    second = two.commit("alleen de andere regio")
    built = build(two)
    names = sorted(p.relative_to(two.root / "output").as_posix() for p in built.written)
    assert names and all(name.startswith(f"{OTHER}/") and first[:10] not in name and second[:10] in name
                         for name in names)
    assert sorted(p.name for p in (two.root / "output" / EXAMPLE).iterdir()) == sorted(
        f"{key}-{first[:10]}.html" for key in ("regioplan", "huishoudelijk-reglement", "activiteitenplan",
                                               "meerjarenbegroting", "voortgangsrapportage-2026"))
    # the same commit gives the same bytes, whatever was built before
    assert WorkingTree(two.root).region_versions([EXAMPLE, OTHER])[EXAMPLE].commit == first


def test_a_shared_input_committed_changes_every_region_version(two):
    _add(two.root / "build.py")
    third = two.commit("build.py")
    versions = WorkingTree(two.root).region_versions([EXAMPLE, OTHER])
    assert {v.commit for v in versions.values()} == {third}


def _edit_region(repo):
    repo.append("regioplan.md", "Een nieuwe zin.\n")


def _edit_picture(repo):
    (repo.file("regioplan.md").parent / "kaart.png").write_bytes(b"not yet used by any document")


def _tag(repo):
    repo.git("tag", "v2.0")  # the version the documents print becomes v2.0


def _commit(repo):
    _edit_region(repo)
    repo.commit("een zin erbij")


def _add(path: Path) -> None:
    path.write_bytes(path.read_bytes() + (b"\n/* anders */\n" if path.suffix == ".css" else b"\n# anders\n"))


def _project_file(repo):
    _add(repo.root / "build.py")


def _library(monkeypatch, name, bump):
    real = incremental.metadata.version
    monkeypatch.setattr(incremental.metadata, "version", lambda lib: real(lib) + bump if lib == name else real(lib))


def _copy_of(monkeypatch, tmp_path, name: str) -> Path:
    """Point the manifest's view of templates/, schemas/ or stodocs/ at a copy we may change."""
    real = incremental.data_folder
    copy = tmp_path / "shared" / name
    shutil.copytree(real(name), copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(incremental, "data_folder", lambda n: copy if n == name else real(n))
    return copy


KINDS = {
    "a region file": lambda repo, mp, tmp: _edit_region(repo),
    "a region image": lambda repo, mp, tmp: _edit_picture(repo),
    "a template's CSS": lambda repo, mp, tmp: _add(_copy_of(mp, tmp, "templates") / "print.css"),
    "a font": lambda repo, mp, tmp: (_copy_of(mp, tmp, "templates") / "fonts" / "extra.ttf").write_bytes(b"font"),
    "a schema": lambda repo, mp, tmp: _add(_copy_of(mp, tmp, "schemas") / "regio.yaml"),
    "stodocs' code": lambda repo, mp, tmp: _add(_copy_of(mp, tmp, "stodocs") / "model.py"),
    "build.py": lambda repo, mp, tmp: _project_file(repo),
    "the lock file": lambda repo, mp, tmp: (repo.root / "requirements.lock").write_text("weasyprint==99\n"),
    "WeasyPrint's version": lambda repo, mp, tmp: _library(mp, "weasyprint", ".1"),
    "the version string (a tag)": lambda repo, mp, tmp: _tag(repo),
    "the version and date (a commit)": lambda repo, mp, tmp: _commit(repo),
}


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_input_is_noticed(two, monkeypatch, tmp_path, kind):
    build(two)
    assert build(two).written == []
    KINDS[kind](two, monkeypatch, tmp_path)
    assert EXAMPLE not in build(two).unchanged, kind


@pytest.mark.parametrize("option", [{"variant": "pdf/a-3u"}, {"private": "administratie"}])
def test_other_options_are_noticed(two, option):
    build(two)
    if "private" in option:
        option = {"private": two.root / option["private"]}
    assert build(two, **option).unchanged == []


def test_a_statement_deleted_by_hand_is_made_again(two):
    private = two.root / "administratie"
    build(two, private=private)
    statement = sorted((private / EXAMPLE).iterdir())[0]
    statement.unlink()
    again = build(two, private=private)
    assert statement.exists() and EXAMPLE not in again.unchanged and again.unchanged == [OTHER]


def test_a_file_deleted_or_changed_by_hand_is_made_again(two):
    build(two)
    deleted, changed = sorted((two.root / "output" / EXAMPLE).iterdir())[:2]
    original = changed.read_bytes()
    deleted.unlink()
    changed.write_bytes(b"handwerk")
    again = build(two)
    assert sorted(again.written) == sorted([deleted, changed]) and again.unchanged == [OTHER]
    assert changed.read_bytes() == original


def test_force_builds_everything(two):
    build(two)
    assert len(build(two, force=True).written) == 10
    done = two.run_cli("build", "--format", "html", "--opnieuw", "--zonder-administratie")
    assert done.returncode == 0, done.stderr


def test_a_build_killed_halfway_is_repaired_by_the_next(two, monkeypatch, tmp_path):
    build(two)
    two.replace("regioplan.md", "sterke maakindustrie", "krachtige maakindustrie", region=EXAMPLE)
    two.replace("regioplan.md", "sterke maakindustrie", "krachtige maakindustrie", region=OTHER)
    real = pipeline.Writer.write
    count = {"n": 0}

    def dies_at_the_third(self, relative, data):
        count["n"] += 1
        if count["n"] == 3:
            raise KeyboardInterrupt  # as a Ctrl-C, a SIGTERM or a SIGKILL in the middle of writing
        return real(self, relative, data)

    monkeypatch.setattr(pipeline.Writer, "write", dies_at_the_third)
    with pytest.raises(KeyboardInterrupt):
        build(two)
    monkeypatch.setattr(pipeline.Writer, "write", real)
    repaired = build(two)
    # the two files written before the stop never reached the manifest: they are made again, like the rest
    assert len(repaired.written) == 10
    build(two, tmp_path / "full", force=True)
    assert files(tmp_path / "full").items() <= files(two.root / "output").items()
    assert build(two).written == []


@pytest.mark.parametrize("damage", [b"", b"{", b'{"format": 1}', b'{"format": 1, "regions": [], "files": 3}',
                                    b'{"format": 0, "regions": {}, "files": {}}', b"[]", b"\xff\xfe", b"[" * 100_000,
                                    b'{"format": 1, "regions": {"lindewaard": 5}, "files": {}}',
                                    b'{"format": 1, "regions": {"lindewaard": {"key": "k", "files": [5]}}, "files": {}}',
                                    b'{"format": 1, "regions": {}, "files": {"lindewaard/x.html": {"stat": "x"}}}'])
def test_a_broken_or_foreign_manifest_only_costs_a_full_build(two, damage):
    build(two)
    (two.root / "output" / MANIFEST).write_bytes(damage)
    again = build(two)
    assert len(again.written) == 10
    foreign = damage.startswith(b'{"format": 0')  # another version of stodocs: no warning, it just builds
    assert [p.message.split(" (")[0] for p in again.problems] == ([] if foreign else ["dit bestand was beschadigd"])
    after = build(two)
    assert after.written == [] and after.problems == []


def test_a_region_with_warnings_is_checked_again_and_warns_again(two):
    near = date(2028, 9, 1)  # a month before the second progress report: every region gets a deadline warning
    first = pipeline.build(WorkingTree(two.root), None, near, "html", "pdf/ua-1", two.root / "output")
    again = pipeline.build(WorkingTree(two.root), None, near, "html", "pdf/ua-1", two.root / "output")
    assert {p.path for p in first.problems} == {f"content/{EXAMPLE}/regio.yaml", f"content/{OTHER}/regio.yaml"}
    assert again.problems == first.problems and again.unchanged == [] and again.written == []


def test_jobs_must_be_a_number_from_one(two):
    for bad in ("0", "twee"):
        done = two.run_cli("build", "-j", bad)
        assert done.returncode == 2 and "aantal processen" in done.stderr


def test_the_key_of_a_private_realisatie_reads_only_the_files_the_build_reads(folder: GitRepo, tmp_path):
    private = tmp_path / "prive"
    shutil.move(folder.file("realisatie"), private / EXAMPLE)
    source = WorkingTree(folder.root)

    def key() -> str:
        return region_key(source, EXAMPLE, "gedeeld", source.version(), {"realisatie": private})
    first = key()
    (private / EXAMPLE / "archief.zip").write_bytes(b"\0" * 3_000_000)  # not a realisatie file: never read
    assert key() == first
    (private / EXAMPLE / "archief.zip").write_bytes(b"\1" * 3_000_000)
    assert key() == first
    with open(private / EXAMPLE / "personeel.yaml", "a", encoding="utf-8") as out:
        out.write("# bijgewerkt\n")
    assert key() != first

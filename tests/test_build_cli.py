"""build.py build: exit codes, nothing written on problems, quiet outside a terminal, atomic on failure."""
from __future__ import annotations

import pytest

from gitrepo import EXAMPLE, GitRepo
from stodocs import pipeline
from stodocs.problems import ContentError
from stodocs.sources import WorkingTree


def test_html_build_writes_the_documents_and_the_rapportage_versioned_and_quietly(repo: GitRepo):
    done = repo.run_cli("build", "--format", "html")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # not a terminal: quiet
    short = repo.head[:10]
    names = sorted(p.name for p in (repo.root / "output" / EXAMPLE).iterdir())
    assert names == sorted(f"{key}-{short}.html" for key in
                           ("regioplan", "huishoudelijk-reglement", "activiteitenplan", "meerjarenbegroting",
                            "voortgangsrapportage-2026"))


def test_uncommitted_changes_are_marked(repo: GitRepo):
    repo.append("regioplan.md", "\nExtra zin.\n")
    assert repo.run_cli("--format", "html", "--output", "uit").returncode == 0
    [regioplan] = (repo.root / "uit" / EXAMPLE).glob("regioplan-*-concept.html")
    assert "concept – niet vastgelegd" in regioplan.read_text(encoding="utf-8")


def test_outside_git_still_builds_and_says_so(folder: GitRepo):
    assert folder.run_cli("--format", "html").returncode == 0
    [regioplan] = (folder.root / "output" / EXAMPLE).glob("regioplan-buiten-git.html")
    assert "buiten git" in regioplan.read_text(encoding="utf-8")


def test_content_problems_exit_1_and_write_nothing(repo: GitRepo):
    repo.replace("begroting.yaml", "prijs: 50\n", "prijs: 50,5\n")
    done = repo.run_cli("build", "--format", "html")
    assert done.returncode == 1
    assert f"content/{EXAMPLE}/begroting.yaml:" in done.stderr
    assert not (repo.root / "output").exists()


@pytest.mark.parametrize("args", [["build", "nergensland"], ["build", "--pdf-variant", "pdf/x"], ["build", "--format", "doc"]])
def test_usage_errors_exit_2(repo: GitRepo, args):
    done = repo.run_cli(*args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_failed_render_leaves_previous_outputs_intact(repo: GitRepo, monkeypatch):
    output = repo.root / "output"
    pipeline.build(WorkingTree(repo.root), [EXAMPLE], None, "html", "pdf/ua-1", output)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise ContentError([])

    monkeypatch.setattr(pipeline, "render_pdf", broken)
    with pytest.raises(ContentError):
        pipeline.build(WorkingTree(repo.root), [EXAMPLE], None, "pdf", "pdf/ua-1", output)
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("output", [".", "content", "content/lindewaard/out", ".."])
def test_an_output_folder_among_the_sources_is_refused(repo: GitRepo, output):
    before = sorted(p.relative_to(repo.root).as_posix() for p in repo.root.rglob("*") if ".git" not in p.parts)
    result = repo.run_cli("build", "--format", "html", "--output", output)
    assert result.returncode == 2
    assert result.stderr.startswith(f"fout: --output {output} ") and "kies een" in result.stderr
    assert sorted(p.relative_to(repo.root).as_posix() for p in repo.root.rglob("*") if ".git" not in p.parts) == before
    diff = repo.run_cli("diff", "--from", "HEAD", "--output", output)
    assert diff.returncode == 2 and "--output" in diff.stderr


def test_an_output_that_cannot_be_written_is_a_dutch_message_not_an_internal_error(repo: GitRepo):
    (repo.root / "een-bestand").write_text("geen map\n", encoding="utf-8")
    result = repo.run_cli("build", "--format", "html", "--output", "een-bestand/docs")
    assert result.returncode == 1
    assert result.stderr.startswith("fout: kan niet schrijven in een-bestand/docs: een deel van dit pad is een bestand")
    assert "kies een map met --output" in result.stderr
    assert "interne fout" not in result.stderr and "Errno" not in result.stderr

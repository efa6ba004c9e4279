"""build.py build: exit codes, nothing written on problems, quiet outside a terminal, atomic on failure."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import EXAMPLE, make_repo
from stodocs import pipeline
from stodocs.problems import ContentError
from stodocs.sources import WorkingTree


def run(repo, *args):
    return subprocess.run([sys.executable, "build.py", *args], cwd=repo, capture_output=True, text=True)


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path / "repo")


def test_html_build_writes_four_versioned_files_quietly(repo):
    done = run(repo, "build", "--format", "html")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # not a terminal: quiet
    short = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True).stdout[:10]
    names = sorted(p.name for p in (repo / "output" / EXAMPLE).iterdir())
    assert names == sorted(f"{key}-{short}.html" for key in
                           ("regioplan", "huishoudelijk-reglement", "activiteitenplan", "meerjarenbegroting"))


def test_uncommitted_changes_are_marked(repo):
    (repo / "content" / EXAMPLE / "regioplan.md").write_text(
        (repo / "content" / EXAMPLE / "regioplan.md").read_text(encoding="utf-8") + "\nExtra zin.\n", encoding="utf-8")
    assert run(repo, "--format", "html", "--output", "uit").returncode == 0
    [regioplan] = (repo / "uit" / EXAMPLE).glob("regioplan-*-concept.html")
    assert "concept – niet vastgelegd" in regioplan.read_text(encoding="utf-8")


def test_outside_git_still_builds_and_says_so(tmp_path):
    repo = make_repo(tmp_path / "plain", commit=False)
    assert run(repo, "--format", "html").returncode == 0
    [regioplan] = (repo / "output" / EXAMPLE).glob("regioplan-buiten-git.html")
    assert "buiten git" in regioplan.read_text(encoding="utf-8")


def test_content_problems_exit_1_and_write_nothing(repo):
    begroting = repo / "content" / EXAMPLE / "begroting.yaml"
    begroting.write_text(begroting.read_text(encoding="utf-8").replace("prijs: 50\n", "prijs: 50,5\n", 1),
                         encoding="utf-8")
    done = run(repo, "build", "--format", "html")
    assert done.returncode == 1
    assert f"content/{EXAMPLE}/begroting.yaml:" in done.stderr
    assert not (repo / "output").exists()


@pytest.mark.parametrize("args", [["build", "nergensland"], ["build", "--pdf-variant", "pdf/x"], ["build", "--format", "doc"]])
def test_usage_errors_exit_2(repo, args):
    done = run(repo, *args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_failed_render_leaves_previous_outputs_intact(repo, monkeypatch):
    output = repo / "output"
    pipeline.build(WorkingTree(repo), [EXAMPLE], None, "html", "pdf/ua-1", output)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise ContentError([])

    monkeypatch.setattr(pipeline, "render_pdf", broken)
    with pytest.raises(ContentError):
        pipeline.build(WorkingTree(repo), [EXAMPLE], None, "pdf", "pdf/ua-1", output)
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before

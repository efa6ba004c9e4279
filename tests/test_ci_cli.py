"""The commands CI runs: regios, diff's formats and comment, vaststelling; and what a region depends on."""
from __future__ import annotations

import re

import json

import pytest

from gitrepo import EXAMPLE, GitRepo
from stodocs.dependencies import SHARED_INPUTS, regions_affected
from stodocs.diff.comment import MARKER, MAX_CHARS, comment_markdown
from test_approval import record

REGIONS = ["lindewaard", "zuid", "west-brabant"]


@pytest.mark.parametrize("changed, expected", [
    (["content/zuid/begroting.yaml"], ["zuid"]),
    (["content/zuid/a.yaml", "content/lindewaard/b.md"], ["lindewaard", "zuid"]),
    (["content/README.md", "docs/ci.md", "README.md", ".github/workflows/stodocs.yml"], []),
    (["templates/print.css"], sorted(REGIONS)),
    (["schemas/begroting.yaml"], sorted(REGIONS)),
    (["stodocs/render.py"], sorted(REGIONS)),
    (["build.py"], sorted(REGIONS)),
    (["content/oud/regio.yaml"], []),  # a region that is gone has no documents to make
    (["templatesx/a", "stodocsx.py"], []),
    (["templates/nieuwe-regio/regio.yaml"], []),  # the scaffold makes no document
])
def test_regions_affected(changed, expected):
    assert regions_affected(changed, REGIONS) == expected


def test_every_shared_input_exists():  # a renamed folder must not silently stop touching every region
    from gitrepo import ROOT
    assert all((ROOT / shared.rstrip("/")).exists() for shared in SHARED_INPUTS if shared != "requirements.lock")


def test_regios_lists_changes_since_a_revision_including_uncommitted_and_moved_files(repo: GitRepo):
    repo.add_region("zuid")
    repo.commit("zuid")
    base = repo.head
    assert repo.run_cli("regios").stdout == "lindewaard\nzuid\n"
    assert repo.run_cli("regios", "--gewijzigd-sinds", base, "--format", "json").stdout == "[]\n"
    repo.file("notitie.md", "zuid").write_text("nieuw, nog niet in git\n", encoding="utf-8")
    assert json.loads(repo.run_cli("regios", "--gewijzigd-sinds", base, "--format", "json").stdout) == ["zuid"]
    repo.file("notitie.md", "zuid").unlink()
    repo.git("mv", "content/zuid/regioplan.md", "content/lindewaard/oud-regioplan.md")
    assert repo.run_cli("regios", "--gewijzigd-sinds", base).stdout == "lindewaard\nzuid\n"


@pytest.mark.parametrize("report", ["text", "json", "gitlab"])
def test_regios_lists_only_region_names_and_reports_other_folders(repo: GitRepo, report):
    hostile = ["--from=HEAD", "*", "$CI_JOB_TOKEN", "Zuid", "a b"]
    for name in hostile:
        (repo.root / "content" / name).mkdir()
        (repo.root / "content" / name / "regio.yaml").write_text("naam: x\n", encoding="utf-8")
    done = repo.run_cli("regios", "--format", report)
    assert done.returncode == 1
    assert [line.split(":")[0] for line in done.stderr.splitlines()] == sorted(f"content/{n}" for n in hostile)
    assert "geen regio" in done.stderr
    if report == "text":
        assert done.stdout == "lindewaard\n"
    elif report == "json":
        assert json.loads(done.stdout) == ["lindewaard"]
    else:
        assert [k for k in json.loads(done.stdout) if k.startswith("regio ")] == ["regio lindewaard"]


def test_regios_with_an_unknown_revision_says_how_to_fetch_it(repo: GitRepo):
    done = repo.run_cli("regios", "--gewijzigd-sinds", "origin/main")
    assert done.returncode == 1 and "git fetch origin origin/main" in done.stderr and done.stdout == ""


def test_validate_bestanden_checks_only_touched_regions(repo: GitRepo):
    repo.add_region("zuid")
    repo.replace("regio.yaml", "penvoerder: csg-lindewaard", "penvoerder: lindewaard-college", region="zuid")
    only = repo.run_cli("validate", "--bestanden", "content/lindewaard/regio.yaml", "docs/x.md")
    assert only.returncode == 0 and "(lindewaard)" in only.stdout
    touched = repo.run_cli("validate", "--bestanden", "content/zuid/regio.yaml")
    assert touched.returncode == 1 and touched.stderr.startswith("content/zuid/regio.yaml:5:")
    nothing = repo.run_cli("validate", "--bestanden", "docs/x.md", "/elders/y.yaml")
    assert nothing.returncode == 0 and "niets te controleren" in nothing.stderr


def test_diff_json_and_comment(repo: GitRepo, tmp_path):
    base = repo.head
    repo.apply_case("casussen/typische-wijziging")
    repo.commit("Wijziging")
    comment = tmp_path / "c.md"
    done = repo.run_cli("diff", "--from", base, "--alleen-commentaar", "--commentaar", str(comment),
                        "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["problems"] == [] and data["regions"][0]["name"] == EXAMPLE and data["regions"][0]["files"] == []
    assert data["regions"][0]["changes"] > 0
    assert not (repo.root / "output").exists()  # only the comment: no redline made
    assert comment.read_text("utf-8").startswith(MARKER)
    same = repo.run_cli("diff", "--from", "HEAD", "--alleen-commentaar", "--commentaar", str(comment))
    assert same.returncode == 0 and "verandert niets" in comment.read_text("utf-8")


def test_diff_problems_in_every_format(repo: GitRepo):
    base = repo.head
    repo.replace("regio.yaml", "penvoerder: csg-lindewaard", "penvoerder: lindewaard-college")
    gitlab = repo.run_cli("diff", "--from", base, "--format", "gitlab")
    assert gitlab.returncode == 1
    [issue] = json.loads(gitlab.stdout)
    assert issue["location"] == {"path": "content/lindewaard/regio.yaml", "lines": {"begin": 5}}
    github = repo.run_cli("diff", "--from", base, "--format", "github")
    assert github.returncode == 1 and github.stdout.startswith("::error file=content/lindewaard/regio.yaml,line=5")
    as_json = repo.run_cli("diff", "--from", base, "--format", "json")
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["errors"] == 1


def test_alleen_commentaar_needs_a_file(repo: GitRepo):
    done = repo.run_cli("diff", "--from", "HEAD", "--alleen-commentaar")
    assert done.returncode == 2 and "--commentaar" in done.stderr


def test_a_long_comment_keeps_whole_regions_and_names_the_rest():
    sections = [(f"regio-{i:02d}", f"## Wijziging regio regio-{i:02d}\n\n" + "x" * 9000) for i in range(10)]
    body = comment_markdown(sections + [("stil", None)], "origin/main")
    assert len(body) <= MAX_CHARS + 500
    kept = [name for name, _ in sections if f"## Wijziging regio {name}\n" in body]
    assert kept == [f"regio-{i:02d}" for i in range(len(kept))] and 0 < len(kept) < 10
    shown = re.sub(r"\\(.)", r"\1", body)  # region names are content: escaped in the Markdown, shown as written
    assert ", ".join(name for name, _ in sections[len(kept):]) in shown
    assert body.rstrip().endswith("Ongewijzigd: stil.")


def test_vaststelling_tag_names_an_approved_version(repo: GitRepo):
    approved = repo.head
    record(repo, (approved, "2026-03-14", "stuurgroep", "SG-2026-03", "Regioplan vastgesteld"))
    repo.commit("Vaststelling 14 maart")
    ok = repo.run_cli("vaststelling", "vastgesteld-lindewaard-2026-03-14")
    assert (ok.returncode, ok.stdout) == (0, "lindewaard\n"), ok.stderr
    wrong_day = repo.run_cli("vaststelling", "vastgesteld-lindewaard-2026-03-15")
    assert wrong_day.returncode == 1 and "2026-03-14" in wrong_day.stderr
    assert repo.run_cli("vaststelling", "v1.0").returncode == 2
    assert repo.run_cli("vaststelling", "vastgesteld-noord-2026-03-14").returncode == 2
    repo.replace("regio.yaml", "Saskia de Wit", "Saskia de Wit-Jansen")
    repo.commit("Na de vaststelling")
    changed = repo.run_cli("vaststelling", "vastgesteld-lindewaard-2026-03-14")
    assert changed.returncode == 1 and "niet vastgesteld" in changed.stderr and changed.stdout == ""


def test_a_comment_on_a_broken_proposal_names_the_problems(repo: GitRepo, tmp_path):
    base = repo.head
    repo.replace("regio.yaml", "penvoerder: csg-lindewaard", "penvoerder: lindewaard-college")
    comment = tmp_path / "c.md"
    done = repo.run_cli("diff", "--from", base, "--alleen-commentaar", "--commentaar", str(comment))
    assert done.returncode == 1
    body = comment.read_text("utf-8")
    # the comparison is made all the same: the summary opens with the errors, and what changed follows
    assert body.startswith(MARKER) and "### ⚠ Deze versie voldoet niet aan de regels" in body
    assert "`content/lindewaard/regio.yaml:5: penvoerder: de penvoerder moet een vmbo-partner zijn" in body
    assert "Wijzigingsvoorstel" in body


def test_github_summary_overflow_and_an_unwritable_summary(folder: GitRepo, tmp_path, monkeypatch):
    for n in range(12):
        folder.file(f"los-{n:02d}.txt").write_text("x\n", encoding="utf-8")  # 12 warnings: more than GitHub shows
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    done = folder.run_cli("validate", "--format", "github")
    assert done.returncode == 0
    assert done.stdout.count("::warning ") == 12 and "::notice title=stodocs::" in done.stdout
    assert all(f"`content/lindewaard/los-{n:02d}.txt`" in summary.read_text("utf-8") for n in range(12))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "weg" / "summary.md"))
    unwritable = folder.run_cli("validate", "--format", "github", "--strict")
    assert unwritable.returncode == 1 and unwritable.stdout.count("::warning ") == 12
    assert "kan de samenvatting" in unwritable.stderr

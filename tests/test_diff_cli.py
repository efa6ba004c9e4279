"""`build.py diff` end to end on real git repositories: files, messages, exit codes, the PDF read back."""
from __future__ import annotations

import json
import re
import subprocess
from io import BytesIO

import pytest
from pypdf import PdfReader

from gitrepo import GitRepo


def run_build(repo: GitRepo, *args: str) -> subprocess.CompletedProcess:
    """Run build.py as a user would, without SOURCE_DATE_EPOCH: every date comes from the commits."""
    return repo.run_cli(*args, today=None)


def plain(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


@pytest.fixture(scope="session")
def diff_run(changed_repo):
    """`build.py diff --from v1.0` on the changed repository, run once: the process and its files."""
    done = run_build(changed_repo, "diff", "--from", "v1.0")
    out = changed_repo.root / "output" / "diffs" / "lindewaard"
    return done, {p.suffix: p for p in out.iterdir() if p.is_file()} if out.is_dir() else {}  # rapportages/: test_reporting


@pytest.fixture(scope="session")
def pdf_pages(diff_run):
    _, files = diff_run
    return [plain(page.extract_text()) for page in PdfReader(BytesIO(files[".pdf"].read_bytes())).pages]


def test_diff_writes_pdf_html_summary_and_change_set(diff_run):
    done, files = diff_run
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert sorted(files) == [".html", ".json", ".md", ".pdf"]
    stem = files[".pdf"].stem
    assert stem.startswith("lindewaard-v1.0-naar-v1.0-1-g")
    assert all(p.stem == stem for p in files.values())
    assert f"output/diffs/lindewaard/{stem}.pdf" in done.stdout
    assert json.loads(files[".json"].read_text(encoding="utf-8"))["region"] == "lindewaard"
    assert "toelichting ontbreekt" in files[".md"].read_text(encoding="utf-8")


def test_first_page_shows_the_change_at_a_glance(pdf_pages):
    first = pdf_pages[0]
    assert "De wijziging in één oogopslag" in first
    # The changed amount: both amounts and the delta.
    assert "€ 50.000,00" in first and "€ 60.000,00" in first and "+ € 10.000,00" in first
    assert "toelichting ontbreekt" in first
    # The overview runs on until the first changed document starts on a page of its own.
    overview = " ".join(pdf_pages[:next(i for i, p in enumerate(pdf_pages) if p.startswith("Regioplan Regioplan "))])
    assert "Zorgrobots in de praktijk" in overview and "Techniekfestival en doe-dagen in de regio" in overview


def test_both_versions_are_named_on_every_page(pdf_pages):
    for text in pdf_pages:
        assert "v1.0 (" in text and "v1.0-1-g" in text


def test_changed_word_is_struck_and_inserted_in_html_and_pdf(diff_run, pdf_pages):
    _, files = diff_run
    html = files[".html"].read_text(encoding="utf-8")
    assert re.search(r"Tegelijk <del>daalt</del><ins>krimpt</ins> het aantal leerlingen", html)
    assert "Tegelijk daalt krimpt het aantal leerlingen" in " ".join(pdf_pages)


def test_redline_pdf_is_reproducible(changed_repo, diff_run):
    _, files = diff_run
    first = files[".pdf"].read_bytes()
    again = run_build(changed_repo, "diff", "--from", "v1.0")
    assert again.returncode == 0, again.stderr
    assert files[".pdf"].read_bytes() == first


def test_missing_base_revision_names_the_fetch(changed_repo):
    done = run_build(changed_repo, "diff", "--from", "origin/main")
    assert done.returncode == 1
    assert "revisie 'origin/main' niet gevonden" in done.stderr and "git fetch origin origin/main" in done.stderr
    assert "Traceback" not in done.stderr


def test_shallow_clone_says_to_unshallow(changed_repo, tmp_path):
    clone = changed_repo.clone(tmp_path / "clone", depth=1)
    done = run_build(clone, "diff", "--from", "HEAD~1")
    assert done.returncode == 1
    assert "ondiepe kloon" in done.stderr and "git fetch --unshallow" in done.stderr
    assert "Traceback" not in done.stderr


def test_content_problems_are_all_reported_with_exit_1(tmp_path):
    repo = GitRepo.example(tmp_path / "repo")
    repo.commit("basis")
    repo.replace("regio.yaml", "soort: techniekregio", "soort: techniekdorp")
    repo.replace("partners.yaml", "soort: mbo", "soort: hbo")
    done = run_build(repo, "diff", "--from", "HEAD")
    assert done.returncode == 1
    assert re.search(r"^content/lindewaard/regio\.yaml:2: .*techniekdorp", done.stderr, re.M)
    assert re.search(r"^content/lindewaard/partners\.yaml:\d+: .*hbo", done.stderr, re.M)
    assert "Traceback" not in done.stderr
    assert not (repo.root / "output").exists()


def test_unchanged_region_writes_nothing(tmp_path):
    repo = GitRepo.example(tmp_path / "repo")
    repo.commit("basis")
    done = run_build(repo, "diff", "--from", "HEAD", "lindewaard")
    assert done.returncode == 0
    assert "lindewaard: geen wijzigingen." in done.stdout
    assert not (repo.root / "output").exists()


def test_redline_bookmarks_nest_documents_chapters_and_sections(diff_run):
    """Each document of the redline is a bookmark, its chapters below it and their sections below those."""
    _, files = diff_run
    top: list[tuple[str, list]] = []

    def walk(items, into):
        for item in items:
            if isinstance(item, list):
                walk(item, into[-1][1])
            else:
                into.append((item.title, []))
    walk(PdfReader(BytesIO(files[".pdf"].read_bytes())).outline, top)
    documents = dict(top)
    regioplan = next(children for title, children in top if title.startswith("Regioplan"))
    chapters = dict(regioplan)
    assert "Partners" in chapters and "Governance: rollen en personen" in chapters
    assert "Vmbo-scholen" in dict(chapters["Partners"])
    assert "Partners" not in documents  # not flat: chapters are not beside the documents


def test_redline_change_bars_keep_the_first_column_in_line_and_arrows_stay_with_their_amount(diff_run):
    from test_typesetting import pages_of
    _, files = diff_run
    data = files[".pdf"].read_bytes()
    page = next(p for p in pages_of(data) if "Totaal Techniekroute basisonderwijs" in p.text
                and "Totaal Techniekmiddagen voor groep 7 en 8" in p.text)
    changed = page.find("Totaal Techniekroute basisonderwijs")[0][0]  # its row has a change bar
    unchanged = page.find("Totaal Techniekmiddagen voor groep 7 en 8")[0][0]
    assert abs(changed - unchanged) < 0.5, (changed, unchanged)
    lines = [line.strip() for p in PdfReader(BytesIO(data)).pages for line in p.extract_text().splitlines()]
    assert any(line.startswith("→ €") for line in lines)
    assert "→" not in lines  # never an arrow alone on its line

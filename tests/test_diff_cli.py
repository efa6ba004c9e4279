"""`build.py diff` end to end on real git repositories: files, messages, exit codes, the PDF read back."""
from __future__ import annotations

import json
import re
import subprocess
from io import BytesIO

import pytest
from pypdf import PdfReader

from gitrepo import GitRepo

COMPACT = "-alleen-wijzigingen"


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
    # rapportages/ is test_reporting's; the compact redline has tests of its own
    return done, ({p.suffix: p for p in out.iterdir() if p.is_file() and not p.stem.endswith(COMPACT)}
                  if out.is_dir() else {})


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
    assert "De wijziging in één oogopslag" in pdf_pages[0]
    # The overview runs on until the first changed document starts on a page of its own.
    overview = " ".join(pdf_pages[:next(i for i, p in enumerate(pdf_pages) if p.startswith("Regioplan Regioplan "))])
    # The changed amount: both amounts and the delta.
    assert "€ 50.000,00" in overview and "€ 60.000,00" in overview and "+ € 10.000,00" in overview
    assert "toelichting ontbreekt" in overview
    assert "Zorgrobots in de praktijk" in overview and "Techniekfestival en doe-dagen in de regio" in overview


def test_both_versions_are_named_on_every_page(pdf_pages):
    for text in pdf_pages:
        # as the documents of each side print their version: the tag v1.0, then the commit after it
        assert "Van: Versie v1.0 van 1 maart 2026 (" in text and "Naar: Versie van 2 maart 2026 (" in text


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


def test_a_rule_breaking_proposal_gets_a_redline_with_its_errors_and_exit_1(tmp_path):
    repo = GitRepo.example(tmp_path / "repo")
    repo.commit("basis")
    repo.replace("regio.yaml", "soort: techniekregio", "soort: techniekdorp")
    repo.replace("partners.yaml", "soort: mbo", "soort: hbo")
    done = run_build(repo, "diff", "--from", "HEAD")
    assert done.returncode == 1
    assert re.search(r"^content/lindewaard/regio\.yaml:2: .*techniekdorp", done.stderr, re.M)
    assert re.search(r"^content/lindewaard/partners\.yaml:\d+: .*hbo", done.stderr, re.M)
    assert "Traceback" not in done.stderr
    folder = repo.root / "output" / "diffs" / "lindewaard"
    assert sorted(p.suffix for p in folder.iterdir()) == [".html", ".html", ".json", ".md", ".pdf", ".pdf"]
    (pdf,) = (p for p in folder.glob("*.pdf") if not p.stem.endswith(COMPACT))
    pages = [plain(page.extract_text()) for page in PdfReader(pdf).pages]
    assert re.search(r"Herstel \d+ fouten? in de nieuwe versie", pages[0])  # page 1: what must come before deciding
    first = " ".join(pages[:2])  # the errors themselves open the page after
    assert "Deze versie voldoet niet aan de regels" in first
    assert "content/lindewaard/regio.yaml:2:" in first and "techniekdorp" in first
    # Both files could not be modelled: their change is shown line by line.
    text = plain(" ".join(page.extract_text() for page in PdfReader(pdf).pages))
    assert "Bestanden als tekst" in text and "soort: techniekregio" in text and "soort: techniekdorp" in text


def test_unchanged_region_writes_nothing(tmp_path):
    repo = GitRepo.example(tmp_path / "repo")
    repo.commit("basis")
    done = run_build(repo, "diff", "--from", "HEAD", "lindewaard")
    assert done.returncode == 0
    assert "lindewaard: geen wijzigingen." in done.stdout
    assert not (repo.root / "output").exists()


def test_alleen_wijzigingen_writes_only_the_compact_redline(tmp_path):
    repo = GitRepo.example(tmp_path / "repo")
    repo.commit("basis")
    repo.replace("regioplan.md", "sterke maakindustrie", "krachtige maakindustrie")
    done = run_build(repo, "diff", "--from", "HEAD", "--alleen-wijzigingen")
    assert done.returncode == 0, done.stderr
    folder = repo.root / "output" / "diffs" / "lindewaard"
    names = sorted(p.name for p in folder.iterdir())
    assert [n for n in names if n.endswith((".pdf", ".html"))] == [
        n for n in names if COMPACT in n] and len(names) == 4
    assert "1 wijziging;" in done.stdout and f"{COMPACT}.pdf" in done.stdout
    text = plain(" ".join(page.extract_text() for page in PdfReader(folder / next(
        n for n in names if n.endswith(".pdf"))).pages))
    assert "De volledige redline" not in text and "krachtige" in text


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

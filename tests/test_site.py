"""`build.py site`: the review site's files, its redlines and vaststellingen, privacy, and incremental rebuilds.

The site of the fixture region is built once per session (conftest.example_site); the browser checks are in
test_site_browser.py.
"""
from __future__ import annotations

import gzip
import shutil
from datetime import date

from conftest import SITE_DAY
from gitrepo import EXAMPLE
from stodocs.incremental import MANIFEST
from stodocs.pipeline import check
from stodocs.site import STATE, build_site
from stodocs.sources import WorkingTree
from test_privacy import leaks, pdf_text

DOCUMENT_PAGES = ("regioplan", "huishoudelijk-reglement", "activiteitenplan", "meerjarenbegroting",
                  "voortgangsrapportage-2026")


def _read(site, path: str) -> str:
    return (site.folder / path).read_text(encoding="utf-8")


def test_site_holds_home_region_documents_with_pdfs_search_and_redlines(example_site):
    folder = example_site.folder
    for page in ("index.html", "zoeken.html", f"{EXAMPLE}/index.html", "assets/site.css", "assets/redline.css",
                 "assets/site.js", "assets/zoeken.js", "pagefind/pagefind.js"):
        assert (folder / page).is_file(), page
    for key in DOCUMENT_PAGES:
        assert (folder / EXAMPLE / f"{key}.html").is_file(), key
        [pdf] = (folder / EXAMPLE).glob(f"{key}-*.pdf")
        assert pdf.read_bytes().startswith(b"%PDF-") and f'href="{pdf.name}"' in _read(example_site,
                                                                                       f"{EXAMPLE}/{key}.html")
    assert len(list((folder / EXAMPLE).glob("redline-*.html"))) == 2


def test_home_page_shows_status_deadline_and_links(example_site):
    home = _read(example_site, "index.html")
    assert "Techniekregio Lindewaard" in home and 'href="lindewaard/index.html"' in home
    assert "concept" in home  # the newest change is not approved
    assert "Volgende termijn: jaarverslag 2026" in home and "uiterlijk 1 juli 2027" in home  # on 15 December 2026
    assert "Wijzigingen sinds de laatste vaststelling" in home


def test_region_page_lists_vaststellingen_and_redlines_in_order(example_site):
    region = _read(example_site, f"{EXAMPLE}/index.html")
    # newest first: the kenmerk of each decision, with the short commit
    assert region.index("SG-2026-05 besluit 2") < region.index("SG-2026-03 besluit 4")
    for commit in example_site.approved:
        assert commit[:10] in region
    assert "Van de versie vastgesteld op 10 maart 2026 naar de versie vastgesteld op 20 april 2026" in region
    assert "Van de versie vastgesteld op 20 april 2026 naar de huidige versie" in region


def test_redline_page_has_the_summary_marks_and_keyboard_navigation(example_site):
    [latest] = [p for p in (example_site.folder / EXAMPLE).glob("redline-*.html")
                if p.name.startswith(f"redline-{example_site.approved[1][:10]}")]
    page = latest.read_text(encoding="utf-8")
    assert "De wijziging in één oogopslag" in page and "Wijzigingsvoorstel" in page
    assert "een sterke<ins> en vernieuwende</ins> maakindustrie" in page
    assert 'data-change="next"' in page and "assets/site.js" in page and "../assets/redline.css" in page
    css = _read(example_site, "assets/redline.css")
    assert "underline" in css and "line-through" in css  # readable without colour


def test_site_holds_no_personal_data(example_site):
    """No name, rate or salary of realisatie/personeel.yaml in any file of the site, nor its search index."""
    region = check(WorkingTree(example_site.repo.root), [EXAMPLE]).regions[EXAMPLE]
    assert region.realisatie.medewerkers, "the fixture must have people to leak"
    files = [p for p in example_site.folder.rglob("*") if p.is_file()]
    assert len(files) > 20
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".pdf":
            text = pdf_text(data)
        elif path.suffix in (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter"):
            text = gzip.decompress(data).decode("utf-8", "replace")  # Pagefind's index, gzipped
        else:
            text = data.decode("utf-8", "replace")
        assert leaks(text, region) == [], path
        assert "personeel" not in path.name and "bijlage" not in path.name and "administratie" not in str(path)


def test_a_second_site_build_writes_nothing_and_a_deleted_page_comes_back(example_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(example_site.folder, copy)  # copy2 keeps sizes and modification times: the manifest holds
    source, day = WorkingTree(example_site.repo.root), date.fromisoformat(SITE_DAY)
    again = build_site(source, None, day, copy)
    assert again.written == []  # the fixture warns, so it is checked again (as by build), but nothing is written
    pdfs = {p: p.stat().st_mtime_ns for p in copy.rglob("*.pdf")}
    (copy / EXAMPLE / "regioplan.html").unlink()
    restored = build_site(source, None, day, copy)
    assert [p.relative_to(copy).as_posix() for p in restored.written] == [f"{EXAMPLE}/regioplan.html"]
    assert {p: p.stat().st_mtime_ns for p in copy.rglob("*.pdf")} == pdfs  # no PDF laid out again
    assert (copy / MANIFEST).is_file() and (copy / STATE).is_file()


def test_site_refuses_the_private_folder_and_content(example_site):
    for output in ("administratie/site", "content/site"):
        done = example_site.repo.run_cli("site", "--output", output)
        assert done.returncode == 2 and "--output" in done.stderr, done.stderr
        assert not (example_site.repo.root / output).exists()
    source = example_site.repo.root / "content" / "lindewaard" / "regioplan.md"
    before = source.read_bytes()
    done = example_site.repo.run_cli("site", "--output", "site", "--commentaar", str(source))
    assert done.returncode == 2 and "--commentaar" in done.stderr and "bronbestand" in done.stderr, done.stderr
    assert source.read_bytes() == before  # the source is never appended to

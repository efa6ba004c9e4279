"""A redline read as a stuurgroep member reads it, on the PDF: page 1 decides (who decides, DUS-I, what is open,
the change in sentences, only the budget rows that changed), every redline keeps the documents' own section
numbers, is marked as a redline, labels its sides as the documents print them, and no table cell runs into the
next one."""
from __future__ import annotations

import ctypes
import re
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from pypdf import PdfReader

from gitrepo import EXAMPLE, GitRepo
from stodocs.diff.htmltree import parse

COMPACT = "-alleen-wijzigingen"
# Two 2026 lines of two activities: € 12.000 less for the Techniekfestival, € 12.000 more for the Techniekmiddagen.
SHIFT = (("    aantal: 2600\n    eenheid: uur\n    prijs: 50", "    aantal: 2360\n    eenheid: uur\n    prijs: 50"),
         ("    aantal: 120\n    eenheid: rit\n    prijs: 450", "    aantal: 120\n    eenheid: rit\n    prijs: 550"))


def plain(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def diffed(tmp: Path, change, *args: str) -> dict:
    """Commit the fixture region, then a commit that leaves it alone (so --from is not the region's version),
    build both sides' documents as HTML and compare them with `diff`; return the files and the printed versions."""
    repo = GitRepo.example(tmp / "repo")
    repo.commit("basis", date="2026-12-01T10:00:00+00:00")
    (repo.root / "LEESMIJ.txt").write_text("iets anders dan de regio\n", encoding="utf-8")
    base = repo.commit("iets anders", date="2026-12-08T10:00:00+00:00")
    printed = [_printed_version(repo, tmp / "oud")]
    change(repo)
    repo.commit("wijziging", date="2026-12-10T10:00:00+00:00")
    printed.append(_printed_version(repo, tmp / "nieuw"))
    done = repo.run_cli("diff", "--from", base, "--to", "HEAD", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    folder = repo.root / "output" / "diffs" / EXAMPLE
    return {"full": [p for p in folder.glob("*.pdf") if not p.stem.endswith(COMPACT)],
            "compact": list(folder.glob(f"*{COMPACT}.pdf")),
            "rapportage": sorted((folder / "rapportages").glob("*.pdf")), "printed": printed, "base": base,
            "head": repo.head, "json": next(folder.glob("*.json"))}


def _printed_version(repo: GitRepo, output: Path) -> str:
    """Return the version a build prints on the regioplan's cover (HTML: no PDF needed)."""
    done = repo.run_cli("build", "--format", "html", "--output", str(output), "--zonder-administratie")
    assert done.returncode == 0, done.stdout + done.stderr
    (html,) = (output / EXAMPLE).glob("regioplan-*.html")
    root, _ = parse(html.read_text(encoding="utf-8"))
    return plain(next(e for e in root.iter() if e.has_class("cover-version")).text())


def shift(repo: GitRepo) -> None:
    for old, new in SHIFT:
        repo.replace("begroting.yaml", old, new)


@pytest.fixture(scope="module")
def shifted(tmp_path_factory):
    return diffed(tmp_path_factory.mktemp("shift"), shift)


@pytest.fixture(scope="module")
def zorgrobots(tmp_path_factory):
    return diffed(tmp_path_factory.mktemp("zorgrobots"), lambda r: r.apply_case("casussen/zorgrobots"),
                  "--alleen-wijzigingen")


@pytest.fixture(scope="module")
def new_school(tmp_path_factory):
    return diffed(tmp_path_factory.mktemp("school"), lambda r: r.apply_case("casussen/nieuwe-school"),
                  "--alleen-wijzigingen")


def first_page(made: dict) -> str:
    (pdf,) = made["full"] or made["compact"]
    return page_texts(pdf)[0]


ZERO_MUTATIE = re.compile(r"€ [\d.]+,\d\d ([+−] )?€ 0,00 € [\d.]+,\d\d")


def assert_decides(page: str, bodies: list[str], dusi: bool, sentences: list[str]) -> None:
    text = plain(page)
    for body in bodies:
        assert f"{body} besluit over:" in text
    assert ("DUS-I-melding Nodig: ja." if dusi else "DUS-I-melding Nodig: nee.") in text
    said = text[text.index("Wat verandert er"):]
    for sentence in sentences:
        assert sentence in said, sentence
    # only changed rows: no budget row on page 1 shows a mutatie of € 0,00
    assert [line for line in page.splitlines() if ZERO_MUTATIE.search(plain(line))] == []
    assert not re.search(r"[a-z]+-[a-z]+-[a-z0-9-]+", re.sub(r"\S+\.pdf", "", text)), "page 1 names things, never ids"


def test_page_one_decides_a_shift_between_two_lines(shifted):
    page = first_page(shifted)
    assert_decides(page, ["De stuurgroep"], False, [
        "Meer budget voor Techniekmiddagen voor groep 7 en 8: € 304.000,00 → € 316.000,00 (+ € 12.000,00): "
        "prijs € 450,00 → € 550,00 in 2026, betaald uit Techniekfestival en regionale doe-dagen (− € 12.000,00).",
        "De totale kosten blijven € 4.371.600,00 en de subsidie blijft € 3.850.000,00."])
    text = plain(page)
    # what must happen first: two mutaties above the threshold without a (new) toelichting
    assert "Eerst nog Schrijf een toelichting bij 'Organisatie Techniekfestival en doe-dagen door docenten' en" in text
    assert "PER ACTIVITEIT Techniekfestival en regionale doe-dagen € 386.500,00 − € 12.000,00 € 374.500,00" in text
    assert "andere totalen blijven gelijk" in text


def test_page_one_decides_casus_zorgrobots(zorgrobots):
    page = first_page(zorgrobots)
    assert_decides(page, ["De stuurgroep", "De programmamanager"], False, [
        "Nieuwe activiteit Zorgrobots in de praktijk (2026, € 7.500,00), betaald uit ",
        "Nieuwe doelstelling 'Techniek zichtbaar maken in andere domeinen'"])
    assert "volgens de regels 'Nieuwe doelstelling (het regioplan zelf wijzigt)' en 'Nieuwe activiteit'" in plain(page)


def test_page_one_decides_casus_new_school(new_school):
    page = first_page(new_school)
    assert_decides(page, ["De stuurgroep"], False, ["Toetreding van "])


def test_the_checklist_asks_for_every_missing_toelichting_and_the_decision_for_its_kenmerk(shifted):
    (pdf,) = shifted["full"]
    text = plain(" ".join(page_texts(pdf)))
    proposal = text[text.index("Wijzigingsvoorstel Wat deze wijziging"):]
    steps = proposal[proposal.index("Stappen"):proposal.index("Informeren")]
    assert "Schrijf een toelichting bij 'Organisatie Techniekfestival en doe-dagen door docenten'" in steps
    assert "Kenmerk van het besluit" in proposal[proposal.index("Besluit van de stuurgroep"):]


def test_the_sides_are_labelled_with_the_versions_the_documents_print(shifted):
    old, new = shifted["printed"]
    assert old.startswith("Versie van 1 december 2026 (") and new.startswith("Versie van 10 december 2026 (")
    text = plain(first_page(shifted))
    assert f"Van {old} Naar {new}" in text
    labels = text[:text.index("Wie besluit")]
    assert shifted["base"][:7] not in labels  # the --from commit left the region alone: its documents never print it
    (rapportage,) = shifted["rapportage"]
    assert f"Van {old} Naar {new}" in plain(" ".join(page_texts(rapportage)))
    # the commits compared stay in the metadata and in the JSON
    (pdf,) = shifted["full"]
    assert shifted["base"] in PdfReader(pdf).metadata["/Subject"]
    data = __import__("json").loads(shifted["json"].read_text(encoding="utf-8"))
    assert data["old"]["commit"] == shifted["base"] and data["new"]["commit"] == shifted["head"]
    assert old.endswith(f"({data['old_documents']['commit'][:7]})")


def test_every_page_of_every_redline_says_it_is_one(shifted):
    (pdf,) = shifted["full"]
    (rapportage,) = shifted["rapportage"]
    for path in (pdf, *shifted["compact"], rapportage):
        pages = [plain(p) for p in page_texts(path)]
        assert "Redline" in pages[0] or "REDLINE" in pages[0].upper()
        assert all("redline" in p.lower() for p in pages), path.name
        document = pypdfium2.PdfDocument(path)
        try:  # the WIJZIGINGEN mark: a page background image on every page, never text to read aloud
            assert all(any(o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for o in document[i].get_objects())
                       for i in range(len(document)))
        finally:
            document.close()
    assert "WIJZIGINGEN" not in plain(page_texts(pdf)[3])


# --- section numbers ----------------------------------------------------------------------------

def numbered_headings(html: Path) -> list[str]:
    """Return the text of every numbered heading (h2, h3) of the documents in a redline's HTML."""
    root, _ = parse(html.read_text(encoding="utf-8"))
    return [plain(e.text()) for e in root.iter() if e.tag in ("h2", "h3") and e.get("data-nummer")]


def printed_numbers(pages: list[str], titles: list[str]) -> dict[str, set[str]]:
    """Return per heading title the numbers printed before it (in the text, and in a table of contents)."""
    text = plain(" ".join(pages))
    return {title: set(re.findall(r"(\d+(?:\.\d+)?) " + re.escape(title) + r"(?![\w-])", text)) for title in titles}


def test_every_redline_keeps_each_documents_own_section_numbers(shifted, example_build):
    (full,) = shifted["full"]
    (compact,) = shifted["compact"]
    (rapportage,) = shifted["rapportage"]
    documents = plain(" ".join(t for key in ("regioplan", "huishoudelijk-reglement", "activiteitenplan",
                                              "meerjarenbegroting")
                               for t in page_texts(example_build.paths[key])))
    checked = 0
    for redline, own in ((full, documents), (compact, documents),
                         (rapportage, plain(" ".join(page_texts(example_build.paths["voortgangsrapportage-2026"]))))):
        titles = [t for t in numbered_headings(redline.with_suffix(".html")) if documents.count(t) + own.count(t)]
        assert titles, redline.name
        in_redline = printed_numbers(page_texts(redline), titles)
        in_document = printed_numbers([own], titles)
        for title in titles:
            if in_document[title]:  # a heading the document numbers (not a bijlage)
                assert in_redline[title] and in_redline[title] <= in_document[title], (redline.name, title,
                                                                                        in_redline[title],
                                                                                        in_document[title])
                checked += 1
    assert checked > 10
    # the change summary of the rapportage redline is no chapter
    assert not re.search(r"\d Gewijzigd \(", plain(" ".join(page_texts(rapportage))))


def test_no_page_of_a_compact_redline_holds_only_an_elision_marker(shifted):
    (compact,) = shifted["compact"]
    for number, text in enumerate(page_texts(compact), start=1):
        lines = [plain(line) for line in text.splitlines()[1:-1] if plain(line)]  # without header and footer
        body = [line for line in lines if not re.fullmatch(r"… \d+ ongewijzigde \w+'?s? …", line)]
        assert body, f"page {number} holds only elision markers: {lines}"


# --- table cells --------------------------------------------------------------------------------

def _struct_type(element) -> str:
    size = pdfium_c.FPDF_StructElement_GetType(element, None, 0)
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDF_StructElement_GetType(element, buffer, size)
    return buffer.raw.decode("utf-16-le").rstrip("\x00")


def _mcids(element) -> set[int]:
    found = {pdfium_c.FPDF_StructElement_GetMarkedContentIdAtIndex(element, i)
             for i in range(pdfium_c.FPDF_StructElement_GetMarkedContentIdCount(element))}
    for i in range(pdfium_c.FPDF_StructElement_CountChildren(element)):
        child = pdfium_c.FPDF_StructElement_GetChildAtIndex(element, i)
        if child:
            found |= _mcids(child)
    return found - {-1}


def _rows(element, out: list) -> list:
    """Collect every table row of a page's structure tree as a list of its cells' marked-content ids."""
    if _struct_type(element) == "TR":
        cells = [pdfium_c.FPDF_StructElement_GetChildAtIndex(element, i)
                 for i in range(pdfium_c.FPDF_StructElement_CountChildren(element))]
        out.append([_mcids(c) for c in cells if c and _struct_type(c) in ("TD", "TH")])
        return out
    for i in range(pdfium_c.FPDF_StructElement_CountChildren(element)):
        child = pdfium_c.FPDF_StructElement_GetChildAtIndex(element, i)
        if child:
            _rows(child, out)
    return out


GAP = 1.0  # points: the least white between the text of two cells in a row


def overlapping_cells(path: Path) -> list[str]:
    """Return, per page, the table rows in which one cell's text touches or overlaps its neighbour's (pdfium's
    character boxes of each cell, the cells found through the tagged PDF's structure tree)."""
    document = pypdfium2.PdfDocument(path)
    found = []
    try:
        for number in range(len(document)):
            page = document[number]
            textpage = page.get_textpage()
            boxes: dict[int, list[tuple[float, float, float, float, str]]] = {}
            for i in range(textpage.count_chars()):
                char = textpage.get_text_range(i, 1)
                if not char.strip():
                    continue
                obj = pdfium_c.FPDFText_GetTextObject(textpage.raw, i)
                mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj) if obj else -1
                left, bottom, right, top = textpage.get_charbox(i)
                boxes.setdefault(mcid, []).append((left, bottom, right, top, char))
            tree = pdfium_c.FPDF_StructTree_GetForPage(page.raw)
            rows: list = []
            for i in range(pdfium_c.FPDF_StructTree_CountChildren(tree)):
                _rows(pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, i), rows)
            pdfium_c.FPDF_StructTree_Close(tree)
            for cells in rows:
                chars = [[b for m in cell for b in boxes.get(m, [])] for cell in cells]
                for a, b in zip(chars, chars[1:]):
                    for ca in a:  # any two characters on one line, of two neighbouring cells, too close
                        for cb in b:
                            same_line = min(ca[3], cb[3]) - max(ca[1], cb[1]) > 0.3 * (ca[3] - ca[1])
                            if same_line and cb[0] - ca[2] < GAP and ca[0] < cb[2]:
                                found.append(f"page {number + 1}: '{''.join(c[4] for c in a)}' touches "
                                             f"'{''.join(c[4] for c in b)}'")
                                break
                        else:
                            continue
                        break
    finally:
        document.close()
    return found


def test_no_table_cell_runs_into_its_neighbour_in_the_redlines_and_the_rapportage(shifted, example_build):
    (full,) = shifted["full"]
    (rapportage,) = shifted["rapportage"]
    for path in (full, rapportage, example_build.paths["voortgangsrapportage-2026"]):
        assert overlapping_cells(path) == [], path.name

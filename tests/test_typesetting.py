"""templates/ and print.css: the layout facts of the example's PDFs, read back from the PDFs themselves.

Text and bookmarks come from pypdf; where a fact needs the box of each character (alignment, gaps,
heights) the page is read with pypdfium2, which gives them. Nothing here compares pixels or whole files.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace

import pypdfium2
import pytest
from pypdf import PdfReader
from weasyprint import HTML

from preview import rasterise

from stodocs.formatting import version_text
from stodocs.model import DOCUMENTS
from stodocs.pdf import PdfJob, html_to_pdf
from stodocs.render import document_status, outline, render_document, stylesheet
from test_render import VERSION as VERSION_FOR_TESTS  # one version for every render test

A4_HEIGHT = 841.89  # points
BODY_BOTTOM = 22 / 25.4 * 72  # the bottom page margin: below it only the footer
BODY_TOP = A4_HEIGHT - 24 / 25.4 * 72  # the top page margin: above it only the running header


@dataclass(frozen=True)
class Page:
    """The text of one PDF page and the box (left, bottom, right, top, in points) of each of its characters."""

    text: str
    boxes: list[tuple[float, float, float, float]]

    def find(self, word: str, start: int = 0) -> list[tuple[float, float, float, float]]:
        """Return the boxes of the characters of the first `word` from text index `start`."""
        at = self.text.index(word, start)
        return self.boxes[at:at + len(word)]

    def body_boxes(self) -> list[tuple[float, float, float, float]]:
        """Return the boxes between the running header and the footer, watermark left out."""
        watermark = set(range(self.text.find("CONCEPT"), self.text.find("CONCEPT") + 7)) if "CONCEPT" in self.text else set()
        return [b for i, b in enumerate(self.boxes) if i not in watermark and self.text[i].strip()
                and BODY_BOTTOM < b[1] and b[3] < BODY_TOP]


def pages_of(pdf: bytes) -> list[Page]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        found = []
        for page in document:
            text_page = page.get_textpage()
            found.append(Page(text_page.get_text_range(),
                              [text_page.get_charbox(i) for i in range(text_page.count_chars())]))
        return found
    finally:
        document.close()


@pytest.fixture(scope="session")
def laid_out(example_build) -> dict[str, list[Page]]:
    return {key: pages_of(example_build.pdf(key)) for key in DOCUMENTS}


def page_with(pages: list[Page], text: str, start: int = 2) -> Page:
    return next(p for p in pages[start:] if text in p.text)


def test_number_columns_are_right_aligned(laid_out):
    """The regioplan's Markdown table of pupils: the numbers end at one edge, whatever their length."""
    page = page_with(laid_out["regioplan"], "Leerlingen 2024")
    header = page.text.index("Leerlingen 2024")
    rights = [page.find(n, header)[-1][2] for n in ("1.180", "620", "840")]
    assert max(rights) - min(rights) < 0.3, rights
    assert page.find("620", header)[0][0] > page.find("1.180", header)[0][0] + 3  # left-aligned they would start together


def test_codes_never_wrap_and_tables_of_one_kind_share_their_columns(example_build, laid_out):
    region = example_build.region
    pages = laid_out["regioplan"]
    text = "".join(p.text for p in pages)
    for partner in region.partners:
        code = f"{partner.brin} {partner.vestiging}" if partner.soort == "vmbo" and partner.vestiging else \
            (partner.kvk if partner.soort == "bedrijf" else partner.brin)
        if code:
            assert code in text, f"{code} wraps"
    # Every partner table has Plaats at the same x, every people table has Functie and Organisatie at the same x.
    for first, columns in (("Naam Plaats", ("Plaats",)), ("Naam Functie Organisatie", ("Functie", "Organisatie"))):
        for column in columns:
            lefts = {round(page.find(column, m.start())[0][0], 1)
                     for page in pages for m in re.finditer(re.escape(first), page.text)}
            assert len(lefts) == 1, (column, lefts)
    assert sum(p.text.count("Naam Plaats") for p in pages) >= 4  # a header repeats on the next page
    assert sum(p.text.count("Naam Functie Organisatie") for p in pages) >= 4
    # Every activity's budget lines in the meerjarenbegroting: the amounts in the same columns.
    header = "Jaar Omschrijving Aantal × prijs Kosten Cofinanciering"
    lines = laid_out["meerjarenbegroting"]
    for column in ("Aantal", "Kosten", "Cofinanciering"):
        lefts = {round(page.find(column, m.start())[0][0], 1)
                 for page in lines for m in re.finditer(re.escape(header), page.text)}
        assert len(lefts) == 1, (column, lefts)
    assert sum(p.text.count(header) for p in lines) >= len({line.activiteit for line in region.begroting.lines})


def outline_levels(pdf: bytes) -> list[tuple[int, str]]:
    """Return the PDF bookmarks as (depth, title), depth 0 at the top."""
    reader = PdfReader(io.BytesIO(pdf))
    found: list[tuple[int, str]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title))
    walk(reader.outline, 0)
    return found


def test_activities_are_in_the_table_of_contents_and_bookmarks_under_their_doelstelling(example_build, laid_out):
    region = example_build.region
    bookmarks = outline_levels(example_build.pdf("activiteitenplan"))
    toc = laid_out["activiteitenplan"][1].text.replace("\r\n", " ")
    for doel in region.doelstellingen:
        activities = [a.naam for a in region.activiteiten if a.doelstelling == doel.id]
        at = bookmarks.index((1, doel.naam))  # under its programmalijn
        assert bookmarks[at + 1:at + 1 + len(activities)] == [(2, name) for name in activities]
        for name in activities:
            assert name in toc


def test_leader_dots_keep_their_distance_from_a_title_ending_in_a_full_stop(example_region):
    body = example_region.documents["regioplan"].body.replace("## Visie\n", "## Visie tot en met 2028.\n", 1)
    assert "Visie tot en met 2028." in body
    documents = dict(example_region.documents, regioplan=replace(example_region.documents["regioplan"], body=body))
    html = render_document(replace(example_region, documents=documents), "regioplan", VERSION_FOR_TESTS, "concept")
    toc = pages_of(html_to_pdf(PdfJob(html, example_region.assets, VERSION_FOR_TESTS.date)).data)[1]
    gaps = {}
    for heading in outline(html.split("<main>", 1)[1]):
        title_end = toc.text.index(heading.text) + len(heading.text) - 1
        first_dot = toc.text.index(".", title_end + 1)
        gaps[heading.text] = toc.boxes[first_dot][0] - toc.boxes[title_end][2]
    assert "Visie tot en met 2028." in gaps
    assert min(gaps.values()) >= 3, sorted(gaps.items(), key=lambda item: item[1])[:3]


def test_no_half_empty_pages_and_chapters_start_at_one_height(example_build, laid_out):
    heights = {}
    for key, pages in laid_out.items():
        html_headings = re.findall(r"<h2[^>]*>(.*?)</h2>", render_document(
            example_build.region, key, example_build.version, "concept").split("<main>", 1)[1])
        forced = [i for i, p in enumerate(pages) if "Bijlage" in p.text and i > 1]
        for number, page in enumerate(pages[2:-1], start=2):  # not the cover, the contents or the last page
            if number + 1 in forced:
                continue  # a page before an annex may end early: the annex starts on a page of its own
            lowest = min(b[1] for b in page.body_boxes())
            assert lowest < A4_HEIGHT * 0.4, f"{key} page {number + 1} ends {lowest:.0f} pt above the bottom"
        for number, page in enumerate(pages[2:], start=2):
            start = page.text.index("CONCEPT\r\n") + 9 if page.text.startswith("CONCEPT") else 0
            first_line = page.text[start:].split("\r\n", 1)[0]
            if re.sub(r"^(Artikel )?\d+\u2002", "", first_line) in html_headings:
                heights[(key, number + 1)] = round(page.boxes[start][1], 1)  # the baseline of its number
    assert ("huishoudelijk-reglement", len(laid_out["huishoudelijk-reglement"])) in heights  # the annex
    assert len(heights) >= 4 and max(heights.values()) - min(heights.values()) < 0.5, sorted(heights.items(), key=lambda item: -item[1])


def test_version_for_people_on_the_cover_and_in_the_footer_with_a_watermark_on_every_page(example_build, laid_out):
    shown = version_text(example_build.version)
    assert re.fullmatch(r"Versie van 14 maart 2026 \([0-9a-f]{7}\)", shown)
    for key, pages in laid_out.items():
        assert shown in pages[0].text
        assert all(f"{shown} · concept" in p.text for p in pages[1:]), key


def watermark_pixels(pdf: bytes) -> list[int]:
    """Return per page how many pixels have the watermark's grey (#eef1f5) in a grey print at 30 dpi."""
    return [sum(image.convert("L").histogram()[237:244]) for image in rasterise(pdf, dpi=30, grey=True)]


def test_a_concept_carries_the_watermark_on_every_page_as_a_picture_not_as_text(example_region, example_build,
                                                                                laid_out):
    concept = example_build.pdf("huishoudelijk-reglement")
    class Approval:
        status_text = "Vastgesteld door de stuurgroep op 12 december 2024"
    html = render_document(example_region, "huishoudelijk-reglement", VERSION_FOR_TESTS,
                           document_status(VERSION_FOR_TESTS, Approval()))
    approved = html_to_pdf(PdfJob(html, example_region.assets, VERSION_FOR_TESTS.date)).data
    with_mark, without = watermark_pixels(concept), watermark_pixels(approved)
    assert len(with_mark) == len(without)
    assert all(a - b > 1500 for a, b in zip(with_mark, without)), list(zip(with_mark, without))
    # Decoration, not text: a screen reader does not read CONCEPT aloud on every page, nor does a search find it.
    assert not any("CONCEPT" in page.text for pages in laid_out.values() for page in pages)


def test_a_vastgesteld_version_says_by_whom_and_when_and_carries_no_watermark(example_region):
    class Approval:
        status_text = "Vastgesteld door de stuurgroep op 12 december 2024"
    status = document_status(VERSION_FOR_TESTS, Approval())
    html = render_document(example_region, "regioplan", VERSION_FOR_TESTS, status)
    assert '<body class="document-regioplan">' in html  # not the concept pages, which carry the watermark
    assert '<p class="cover-status vastgesteld">Vastgesteld door de stuurgroep op 12 december 2024</p>' in html
    assert '<body class="document-regioplan concept">' in render_document(example_region, "regioplan", VERSION_FOR_TESTS,
                                                                         "concept")


def test_reglement_numbers_leden_1_2_3_and_their_parts_a_b_c(example_region):
    html = render_document(example_region, "huishoudelijk-reglement", VERSION_FOR_TESTS, "concept")
    markers = [box.text.strip() for page in HTML(string=html).render().pages for box in _boxes(page._page_box)
               if type(box).__name__ == "TextBox" and box.element_tag == "li::marker"]
    assert markers[:3] == ["a.", "b.", "c."]  # Artikel 1: "In dit reglement wordt verstaan onder: a. ..."
    assert "1." in markers and "2." in markers  # the leden of an article


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


def test_running_text_gives_whole_euros_without_cents_and_tables_keep_them(laid_out):
    reglement = " ".join(p.text for p in laid_out["huishoudelijk-reglement"]).replace("\xa0", " ").replace("\r\n", " ")
    assert "boven € 10.000 gelden" in reglement and "€ 10.000,00 gelden" not in reglement
    begroting = " ".join(p.text for p in laid_out["meerjarenbegroting"]).replace("\xa0", " ")
    assert "€ 3.850.000,00" in begroting  # the key figures table


def test_budget_units_are_plural_in_the_pdf(laid_out):
    text = " ".join(p.text for p in laid_out["meerjarenbegroting"]).replace("\xa0", " ")
    assert "40 leskisten × € 1.250,00" in text
    assert re.search(r"\b120 ritten ×", text) and re.search(r"\b\d+ maanden ×", text)
    assert re.search(r"\b\d[\d.]* uur ×", text) and not re.search(r"\b\d+ (leskist|rit|maand) ×", text)



@pytest.mark.parametrize("room, lines, expected", [
    (2, 6, [2, 4]),  # two lines fit at the foot of the page: they stay there (orphans 2)
    (4, 5, [3, 2]),  # four fit, but the last line would be left alone: two go over (widows 2)
])
def test_widows_and_orphans_are_two_lines(room, lines, expected):
    """A paragraph below a spacer that leaves room for `room` lines on the first page."""
    line = 10 * 1.45  # pt: html font-size × line-height
    body_height = (297 - 24 - 22) / 25.4 * 72
    words = " ".join(["woord"] * 4 * lines)  # four to a line of 48 mm
    html = (f"<!DOCTYPE html><html lang='nl'><head><style>{stylesheet()}</style></head><body><main>"
            f"<div style='height: {body_height - room * line - line / 2:.2f}pt'></div>"
            f"<p style='width: 48mm; hyphens: none'>{words}</p></main></body></html>")
    per_page = [sum(1 for box in _boxes(page._page_box) if type(box).__name__ == "LineBox" and box.element_tag == "p")
                for page in HTML(string=html).render().pages]
    assert sum(per_page) == lines, per_page  # the paragraph has the lines the case assumes
    assert per_page == expected

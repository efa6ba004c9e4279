"""Page flow, read back from the PDFs: every page carries the document's status, a table's total stands once, on the
page of its last row and below it (never a repeated footer that its page's rows do not make), and no heading ends a
page (h1-h4 and the group rows of a table).

The lines of each page and their heights come from pypdfium2. What counts as a heading, a table row or a total is
read from the HTML that was rendered, so the checks follow the templates instead of a list of words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from decimal import Decimal
from html.parser import HTMLParser

import pypdfium2
import pytest

from gitrepo import EXAMPLE, FIXTURE
from stodocs.administratie.model import Taak
from stodocs.administratie.statements import render_statement, statement_state, statements
from stodocs.model import Place
from stodocs.pdf import PdfJob, render_pdfs
from stodocs.render import document_status, render_document
from stodocs.sources import WorkingTree
from stodocs.verantwoording.accounts import Accounts
from stodocs.verantwoording.reporting import RegionData, g2_state, render_g2
from stodocs.verantwoording.reports import load_reports, load_steps
from test_render import VERSION

MM = 72 / 25.4
DATE = datetime(2026, 12, 1, tzinfo=timezone.utc)


def squeeze(text: str) -> str:
    """Return `text` without whitespace and soft hyphens: how a line of the PDF and a cell of the HTML compare."""
    return re.sub(r"[\s\u00ad\ufffe]", "", text)


@dataclass(frozen=True)
class Line:
    text: str
    bottom: float
    top: float


@dataclass(frozen=True)
class Page:
    """One PDF page: its text lines with their heights (points from the bottom) and the page height."""

    height: float
    lines: tuple[Line, ...]

    def body(self, margin_top: float, margin_bottom: float) -> list[Line]:
        """Return the lines between the running header and the footer; the CONCEPT watermark left out."""
        return [line for line in self.lines if line.text != "CONCEPT"
                and line.bottom > margin_bottom * MM and line.top < self.height - margin_top * MM]

    @property
    def text(self) -> str:
        return squeeze("".join(line.text for line in self.lines))


def read_pages(pdf: bytes) -> list[Page]:
    """Return every page of `pdf` as its lines of text, in the order they are drawn."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            text_page = page.get_textpage()
            text = text_page.get_text_range()
            boxes = [text_page.get_charbox(i) for i in range(text_page.count_chars())]
            lines = []
            for run in re.finditer(r"[^\r\n]+", text):
                chars = [(c, boxes[i]) for i, c in enumerate(run.group(), run.start()) if c.strip()]
                if chars:
                    lines.append(Line(run.group().strip(), min(b[1] for _, b in chars), max(b[3] for _, b in chars)))
            pages.append(Page(page.get_height(), tuple(lines)))
        return pages
    finally:
        document.close()


@dataclass
class Table:
    rows: list[str] = field(default_factory=list)  # the text of each body row
    total: str = ""  # the text of its tfoot row, if it has one


class Structure(HTMLParser):
    """The headings (h1-h4 and group rows) and the tables of an HTML document, as text."""

    def __init__(self, html: str):
        super().__init__()
        self.headings: list[str] = []
        self.tables: list[Table] = []
        self._open: list[Table] = []
        self._text: list[str] | None = None
        self._row_kind = ""
        self._in_tfoot = False
        self._in_heading = False
        self._skip = 0
        self.feed(html.split("<body", 1)[1])

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag in ("style", "script"):
            self._skip += 1
        elif tag == "table":
            self._open.append(Table())
        elif tag == "tfoot":
            self._in_tfoot = True
        elif tag == "tr" and self._open:
            self._row_kind = "total" if self._in_tfoot else "group" if "group" in classes else "row"
            self._text = []
        elif tag in ("h1", "h2", "h3", "h4"):
            self._in_heading, self._text = True, []
        elif tag == "br" and self._text is not None:
            self._text.append(" ")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1
        elif tag == "table" and self._open:
            self.tables.append(self._open.pop())
        elif tag == "tfoot":
            self._in_tfoot = False
        elif tag == "tr" and self._open and self._text is not None and not self._in_heading:
            text = squeeze("".join(self._text))
            if self._row_kind == "total":
                self._open[-1].total = text
            elif text:
                self._open[-1].rows.append(text)
                if self._row_kind == "group":
                    self.headings.append(text)
            self._text = None
        elif tag in ("h1", "h2", "h3", "h4") and self._in_heading:
            self.headings.append(squeeze("".join(self._text)))
            self._in_heading, self._text = False, None

    def handle_data(self, data):
        if self._text is not None and not self._skip:
            self._text.append(data)


def check_page_flow(html: str, pdf: bytes, status: str, margins: tuple[float, float]) -> list[Page]:
    """Assert the three rules of this module for one document; return its pages."""
    pages = read_pages(pdf)
    structure = Structure(html)
    assert len(pages) >= 2
    # 1. The status on every page, landscape pages included.
    assert all(squeeze(status) in page.text for page in pages), [i + 1 for i, p in enumerate(pages)
                                                                  if squeeze(status) not in p.text]
    # 2. Every total once, on the page of its table's last row and below it: a repeated or orphaned total fails.
    bodies = [squeeze("".join(line.text for line in page.body(*margins))) for page in pages]
    totals = [t for t in structure.tables if t.total]
    assert totals
    for total in {t.total for t in totals}:
        expected = sum(1 for t in totals if t.total == total)
        assert sum(body.count(total) for body in bodies) == expected, f"{total!r} stands more often than its tables"
    start = (0, 0)  # walk the document in order: a later table's total is found after an earlier one's
    for table in totals:
        page, at = next((i, bodies[i].find(table.total, start[1] if i == start[0] else 0))
                        for i in range(start[0], len(pages))
                        if bodies[i].find(table.total, start[1] if i == start[0] else 0) >= 0)
        before = bodies[page][:at]
        assert table.rows and table.rows[-1][:40] in before, (
            f"page {page + 1}: the total {table.total!r} does not stand below its last row {table.rows[-1]!r}")
        start = (page, at + len(table.total))
    # 3. No heading at the foot of a page: the lowest line of each page's body is no heading, nor part of one.
    headings = [h for h in structure.headings if len(h) >= 4]
    for number, page in enumerate(pages, 1):
        body = page.body(*margins)
        if not body:
            continue
        last = squeeze(min(body, key=lambda line: line.bottom).text)
        assert not any(last and last in heading for heading in headings), f"page {number} ends with heading {last!r}"
    return pages


@pytest.fixture(scope="module")
def fixture_data(example_region) -> RegionData:
    reports, _ = load_reports(WorkingTree(FIXTURE), EXAMPLE)
    steps, _ = load_steps(WorkingTree(FIXTURE), EXAMPLE)
    return RegionData(example_region, reports, Accounts(example_region, example_region.realisatie), steps=steps)


def test_meerjarenbegroting_page_flow(example_build):
    """The example's meerjarenbegroting as the build wrote it: 11 pages, a total under every table of § 5 to § 8."""
    status = document_status(example_build.version)
    html = render_document(example_build.region, "meerjarenbegroting", example_build.version, status)
    pages = check_page_flow(html, example_build.pdf("meerjarenbegroting"), str(status), (24, 22))
    assert len(pages) >= 8


@pytest.fixture(scope="module")
def g2_documents(fixture_data) -> dict[int, tuple[str, str, bytes]]:
    """Model G2 of 2025 (ingediend) and 2026 (voorlopig) of the fixture: (status, HTML, PDF) by verslagjaar."""
    made = {jaar: (g2_state(fixture_data, jaar),) for jaar in (2025, 2026)}
    made = {jaar: (state, render_g2(fixture_data, fixture_data.accounts.g2(jaar), VERSION, state))
            for jaar, (state,) in made.items()}
    results = render_pdfs([PdfJob(html, {}, DATE) for _, html in made.values()])
    return {jaar: (str(state), html, result.data) for (jaar, (state, html)), result in zip(made.items(), results)}


@pytest.fixture(scope="module")
def statement_documents(example_region) -> dict[str, tuple[str, str, bytes]]:
    """Every statement to sign of the fixture (Bijlagen 1, 2, 4 and 6): (status, HTML, PDF) by its key."""
    made = [(s.key, statement_state(example_region, s)) for s in statements(example_region)]
    htmls = [render_statement(example_region, s, VERSION, state)
             for s, (_, state) in zip(statements(example_region), made)]
    results = render_pdfs([PdfJob(html, {}, DATE) for html in htmls])
    return {key: (str(state), html, result.data) for (key, state), html, result in zip(made, htmls, results)}


def test_g2_page_flow_with_its_landscape_table(g2_documents):
    """Model G2 for 2026 (voorlopig): the landscape table page carries the status like the others."""
    status, html, pdf = g2_documents[2026]
    assert status.startswith("voorlopig")
    pages = check_page_flow(html, pdf, status, (24, 22))
    assert any(page.height < 600 for page in pages)  # the G2 table's landscape page (A4 landscape: 595 pt)


def test_long_bijlage_1_page_flow(example_region):
    """A Bijlage 1 with more tasks than fit one page breaks between rows, with its total once at the end."""
    [statement] = [s for s in statements(example_region) if s.name == "kees-de-boer-2025-2026"]
    j = statement.context["jaartaak"]
    # 62 tasks: without `tr.group { break-after: avoid }` the STO group row would end page 2
    many = tuple(Taak(f"Taak nummer {i}", Decimal("1"), Place("", 0)) for i in range(1, 63))
    long = replace(statement, context={**statement.context, "jaartaak": replace(j, overige_taken=many)})
    state = statement_state(example_region, long)
    html = render_statement(example_region, long, VERSION, state)
    [result] = render_pdfs([PdfJob(html, {}, DATE)])
    pages = check_page_flow(html, result.data, str(state), (24, 22))
    assert len(pages) >= 2


def test_a_usual_bijlage_1_fits_one_page(statement_documents):
    """Every Bijlage 1 of the fixture (six teachers, two schooljaren) is one page, signatures included."""
    counts = {key: len(read_pages(pdf)) for key, (_, _, pdf) in statement_documents.items()
              if key.startswith("bijlage-1-")}
    assert len(counts) == 12 and set(counts.values()) == {1}, counts


# A field path as a message or template might leak it: jaartaken[8].sto, stappen.1.kenmerk
FIELD_PATH = re.compile(r"\b[a-z_]+\[\d+\](?:\.[a-z_]+)?|\b[a-z_]+\.\d+\.[a-z_]+\b")
# An id as the YAML writes it: lowercase words joined by hyphens, at least three of them (leerlijn-installatie-2025-uren)
KEBAB = re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:-[a-z0-9]+){2,}(?![\w/-])")


def ids_of(region) -> set[str]:
    """Every id with a hyphen that the region's files give a thing: activities, budget lines, partners, people,
    goals and every entry of the administratie."""
    things = [*region.activiteiten, *region.begroting.lines, *region.partners, *region.personen,
              *region.programmalijnen, *(d for lijn in region.programmalijnen for d in lijn.doelstellingen)]
    r = region.realisatie
    things += [*r.medewerkers, *r.jaartaken, *r.verklaringen, *r.afschrijvingen, *r.kosten, *r.cofinanciering,
               *r.voorschotten]
    return {thing.id for thing in things if "-" in thing.id}


def readable_text(pdf: bytes) -> str:
    """Return the text of `pdf` as a reader sees it: a word broken at a hyphen over two lines joined again."""
    text = "\n".join("\n".join(line.text for line in page.lines) for page in read_pages(pdf))
    return " ".join(re.sub(r"-\n(?=\S)", "-", text.replace("\ufffe", "").replace("\u00ad", "")).split())


def test_no_id_or_field_path_in_any_statement_g2_or_rapportage(example_region, example_build, statement_documents,
                                                              g2_documents):
    """Bijlagen 1, 2, 4 and 6, model G2 (2025, 2026) and the voortgangsrapportage 2026 name things by their names."""
    ids = ids_of(example_region)
    assert "leerlijn-installatie-2025-uren" in ids and "kees-de-boer-2025-2026" in ids
    documents = {key: pdf for key, (_, _, pdf) in statement_documents.items()}
    documents.update({f"g2-{jaar}": pdf for jaar, (_, _, pdf) in g2_documents.items()})
    documents["voortgangsrapportage-2026"] = example_build.pdf("voortgangsrapportage-2026")
    assert {key.split("-", 2)[0] + "-" + key.split("-", 2)[1] for key in documents if key.startswith("bijlage")} == {
        "bijlage-1", "bijlage-2", "bijlage-4", "bijlage-6"}
    found = {}
    for key, pdf in sorted(documents.items()):
        text = readable_text(pdf)
        leaks = sorted({m for m in KEBAB.findall(text)} | {m for m in FIELD_PATH.findall(text)}
                       | {i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)})
        if leaks:
            found[key] = leaks
    assert not found, found

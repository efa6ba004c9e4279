"""Markdown as stodocs reads it: CommonMark plus tables, raw HTML shown as text, stable heading ids.

The renderer and the checks of images and comments share this module, so all see the same Markdown.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from .images import image_findings
from .model import Region
from .problems import WARNING, Problem


def slug(text: str) -> str:
    """Return `text` as an id part: ascii, lowercase, words joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "kop"


def heading_id(text: str) -> str:
    """Return the id of a heading with this text, before it is made unique: `h-<slug>`."""
    return "h-" + slug(text)


def _heading_ids(state: StateCore) -> None:
    """Give every heading an id `h-<slug>`, unique within one render (state.env holds the ids used)."""
    used = state.env.setdefault("heading_ids", set())
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        base = heading_id(tokens[i + 1].content)
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        token.attrSet("id", candidate)


# A cell that holds only a number, an amount or a percentage (bold or not), or a dash for "none".
_NUMBER_CELL = re.compile(r"[*_]*[+\-−]?(€\s?)?\d[\d.,]*\s?%?[*_]*")
_EMPTY_CELL = re.compile(r"[*_]*[–—-]?[*_]*")


def _number_columns(state: StateCore) -> None:
    """Mark the columns of a table that hold only numbers with class `amount` (right-aligned, tabular figures)."""
    tokens = state.tokens
    table: list[list] = []  # rows of [cell-open token, its text]
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            table = []
        elif token.type == "tr_open":
            table.append([])
        elif token.type in ("th_open", "td_open") and table:
            table[-1].append((token, tokens[i + 1].content.strip()))
        elif token.type == "table_close":
            body = table[1:]
            for column in range(len(table[0]) if table else 0):
                cells = [row[column][1] for row in body if column < len(row)]
                numbers = [c for c in cells if _NUMBER_CELL.fullmatch(c)]
                if numbers and all(_NUMBER_CELL.fullmatch(c) or _EMPTY_CELL.fullmatch(c) for c in cells):
                    for row in table:
                        if column < len(row) and not row[column][0].attrGet("style"):  # the author's own alignment wins
                            row[column][0].attrSet("class", "amount")


@cache
def parser() -> MarkdownIt:
    """Return the Markdown parser for rendering: raw HTML off, tables on, headings with ids.

    One instance serves every render: the heading ids in use live in each render's own env.
    """
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.core.ruler.push("heading_ids", _heading_ids)
    md.core.ruler.push("number_columns", _number_columns)
    return md


def _any_link(url: str) -> bool:
    return True


@dataclass(frozen=True)
class ImageRef:
    src: str
    line: int  # 0-based line in the Markdown text


@cache
def _image_finder() -> MarkdownIt:
    """The renderer's dialect, but it keeps every link, so the check sees also file: and javascript: images."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.validateLink = _any_link
    return md


@cache
def _comment_finder() -> MarkdownIt:
    """Markdown with raw HTML on, only to find HTML comments where the renderer shows text."""
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def image_refs(text: str) -> list[ImageRef]:
    """Return every image reference in `text`, including those the renderer would drop."""
    if "![" not in text:  # every Markdown image, inline or by reference, starts so; most texts have none
        return []
    found = []
    for block in _image_finder().parse(text):
        for child in block.children or ():
            if child.type == "image":
                found.append(ImageRef(str(child.attrGet("src") or ""), block.map[0] if block.map else 0))
    return found


def image_problem(src: str, assets) -> str | None:
    """Return why image `src` may not be used, or None when it names one of the region's own images."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith("//"):
        return (f"afbeelding '{src}' verwijst naar een adres buiten de regiomap; zet de afbeelding in de regiomap "
                "en verwijs ernaar met alleen de bestandsnaam, bijvoorbeeld ![Logo](logo.png)")
    if parts.query or parts.fragment or "?" in src or "#" in src:  # the PDF loads the file itself, never a variant
        return (f"afbeelding '{src}' heeft een toevoeging na de bestandsnaam ('?' of '#'); verwijs met alleen de "
                "bestandsnaam, bijvoorbeeld ![Logo](logo.png)")
    path = unquote(parts.path)
    if path.startswith("/") or "\\" in path or ".." in PurePosixPath(path).parts:
        return (f"afbeelding '{src}' verwijst naar een bestand buiten de regiomap; gebruik een pad binnen de "
                "regiomap zonder '..' en zonder '/' vooraan")
    if path not in assets:
        known = ", ".join(sorted(assets)) or "geen"
        return f"afbeelding '{src}' bestaat niet in de regiomap (afbeeldingen in de regiomap: {known})"
    return None


@dataclass(frozen=True)
class MarkdownText:
    """One Markdown text of a region: a document's body, or a description field in YAML."""

    path: str
    line: int  # the line of the body's first line, or of the YAML field
    field: str  # "" for a document body
    text: str

    def line_of(self, offset: int) -> int:
        """Return the file line of line `offset` (0-based) of the text; a YAML field keeps its own line."""
        return self.line if self.field else self.line + offset


def markdown_texts(region: Region) -> list[MarkdownText]:
    """Return every text of the region that is rendered as Markdown."""
    texts = [MarkdownText(d.path, d.body_line, "", d.body) for d in region.documents.values()]
    items = [*region.programmalijnen, *region.doelstellingen, *region.activiteiten]
    return texts + [MarkdownText(i.place.path, i.place.line, "omschrijving", i.omschrijving) for i in items]


def check_images(region: Region) -> list[Problem]:
    """Every image in the region's Markdown names a png/jpg/svg/gif in the region folder that WeasyPrint can use."""
    # A problem with an image file stands at each line that shows it: that is where the writer looks.
    problems, findings = [], {}
    for text in markdown_texts(region):
        for ref in image_refs(text.text):
            line = text.line_of(ref.line)
            why = image_problem(ref.src, region.assets)
            if why:
                problems.append(Problem(text.path, line, text.field, why))
                continue
            name = unquote(urlsplit(ref.src).path)
            if name not in findings:
                findings[name] = image_findings(name, region.assets[name])
            problems += [Problem(text.path, line, text.field, f"afbeelding {f.message}", f.severity)
                         for f in findings[name]]
    return problems


_COMMENT = re.compile(r"<!--")
COMMENT_MESSAGE = ("HTML-commentaar wordt als gewone tekst in het document getoond; verwijder het, of zet interne "
                   "notities buiten het document")


def comment_lines(text: str) -> list[int]:
    """Return the 0-based line of every HTML comment in `text`, leaving out code blocks and code spans."""
    if "<!--" not in text:
        return []
    found = []
    for block in _comment_finder().parse(text):
        if block.type == "html_block" and block.map:
            found += [block.map[0] + block.content.count("\n", 0, m.start()) for m in _COMMENT.finditer(block.content)]
        elif block.type == "inline" and block.map:
            line = block.map[0]
            for child in block.children or ():
                if child.type == "html_inline" and child.content.startswith("<!--"):
                    found.append(line)
                line += child.content.count("\n") + (child.type in ("softbreak", "hardbreak"))
    return found


def check_comments(region: Region) -> list[Problem]:
    """Warn at every HTML comment in the region's Markdown: the PDF would show it as text."""
    return sorted({Problem(text.path, text.line_of(line), text.field, COMMENT_MESSAGE, WARNING)
                   for text in markdown_texts(region) for line in comment_lines(text.text)})


# Measured limits (benchmarks/limits.py, docs/performance.md): the worst body each allows builds in well under
# 30 s and 1 GB. A real plan document has tens of headings, a few hundred table cells and a few hundred blocks.
MAX_HEADINGS = 300
MAX_TABLE_CELLS = 8_000
MAX_BLOCKS = 8_000
# A text of fewer lines and '|' than this cannot reach a limit, so it is not parsed: a line opens at most two
# blocks (a list and its item) per level of nesting, and the parser nests at most 20 levels (`maxNesting`).
_SMALL_LINES = min(MAX_HEADINGS, MAX_BLOCKS // (2 * 20 + 2))


_LIMITS = (
    ("heading_open", "koppen", MAX_HEADINGS, "voeg hoofdstukken samen of zet details in een bijlage"),
    ("cell", "tabelcellen", MAX_TABLE_CELLS, "splits de tabel of zet de gegevens in een bijlage"),
    ("block", "blokken (alinea's, lijstitems, tabelrijen)", MAX_BLOCKS,
     "kort de tekst in of verdeel hem over meer documenten"),
)


def _kinds(token) -> tuple[str, ...]:
    """Return what a token counts as: a block (a heading and a table cell are blocks too); 'inline' is no block."""
    if token.type in ("td_open", "th_open"):
        return ("block", "cell")
    return () if token.type == "inline" else ("block", token.type)


def check_size(region: Region) -> list[Problem]:
    """Refuse a document (a body, or the texts of one YAML file together) with more headings, table cells or blocks
    than a PDF can be made of in reasonable time and memory; the problem stands where the limit is passed."""
    problems = []
    counts: dict[str, dict[str, int]] = {}
    for text in markdown_texts(region):
        if text.text.count("\n") < _SMALL_LINES and text.text.count("|") < _SMALL_LINES:
            continue
        count = counts.setdefault(text.path, {})
        line = text.line
        for token in parser().parse(text.text):
            if not token.block or token.nesting < 0:
                continue
            if token.map:
                line = text.line_of(token.map[0])
            for kind in _kinds(token):
                count[kind] = count.get(kind, 0) + 1
            for kind, what, limit, advice in _LIMITS:
                if count.get(kind, 0) == limit + 1 and kind in _kinds(token):  # once, where the limit is passed
                    shown = f"{limit:,}".replace(",", ".")
                    problems.append(Problem(text.path, line, text.field,
                                            f"te veel {what}: meer dan {shown} in één document; {advice}"))
    return problems
